/**
 * Consent for jobs that start processes (terminal_exec, and workflows with terminal steps). Either
 * the operator consents to one job, for a limited time, after seeing its exact argv; or the host was
 * started with --allow-terminal, which consents for every such job submitted to that process. The
 * decision is recorded on the job either way.
 */
import type { AiJob } from '../../src-shared/job';
import { parseRfc3339 } from '../../src-shared/time';
import { NO_CONSENT_PROFILE, type ConsentColumns } from '../store/rows';

/** How long an operator's per-job consent holds if the job has not started by then. */
export const OPERATOR_CONSENT_TTL_MS = 60 * 60 * 1000;

export function switchConsent(now: number): ConsentColumns {
  return { consent_decision: 'granted', consent_source: 'allow_terminal_switch', consent_decided_at: now, consent_expires_at: null };
}

export function operatorConsent(now: number): ConsentColumns {
  return { consent_decision: 'granted', consent_source: 'operator', consent_decided_at: now, consent_expires_at: now + OPERATOR_CONSENT_TTL_MS };
}

export type ConsentState = 'not_required' | 'holds' | 'expired' | 'missing';

/** Whether the job may start its processes now. */
export function consentState(job: Pick<AiJob, 'consent_profile_id' | 'consent'>, now: number): ConsentState {
  if (job.consent_profile_id === NO_CONSENT_PROFILE) return 'not_required';
  if (job.consent.decision !== 'granted') return 'missing';
  const expires = job.consent.expires_at === null ? null : parseRfc3339(job.consent.expires_at);
  return expires === null || expires > now ? 'holds' : 'expired';
}
