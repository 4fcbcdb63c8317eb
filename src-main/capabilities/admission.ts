/**
 * The submission checkpoint: before a job is stored, every capability its nodes will need is
 * decided. A job that can never be granted something is refused at once; one that can is stored
 * with the profile the main process chose and the consent the host gives (if any).
 */
import type { JobKind } from '../../src-shared/enums';
import { kindsOfJob } from '../../src-shared/job-inputs';
import type { NewJob } from '../../src-shared/job';
import { needsTerminalConsent, type ConsentColumns } from '../store/rows';
import { switchConsent } from './consent';
import { decideCapability, type CapabilityDecision } from './policy';
import { profileForJob, requiredCapabilities, type CapabilityProfileId } from './profiles';

export interface AdmissionOptions {
  /** The host was started with --allow-terminal. */
  allowTerminal: boolean;
  now: number;
}

export type Admission =
  | { ok: true; profile: CapabilityProfileId; consent: ConsentColumns | undefined; decisions: CapabilityDecision[] }
  | { ok: false; decisions: CapabilityDecision[]; denied: CapabilityDecision };

/** Each (node kind, capability) the job will ask for, once. */
function neededByNodes(job: NewJob): Array<{ kind: JobKind; capability: string }> {
  const seen = new Set<string>();
  const needed: Array<{ kind: JobKind; capability: string }> = [];
  const accessMode = job.access_mode ?? 'analysis_only';
  for (const kind of kindsOfJob(job.job_kind, job.job_inputs)) {
    for (const capability of requiredCapabilities(kind, job.protocol_id, accessMode)) {
      const key = `${kind}:${capability}`;
      if (seen.has(key)) continue;
      seen.add(key);
      needed.push({ kind, capability });
    }
  }
  return needed;
}

export function admitJob(job: NewJob, options: AdmissionOptions): Admission {
  const accessMode = job.access_mode ?? 'analysis_only';
  const profile = profileForJob(job.job_kind, job.protocol_id, accessMode);
  const decisions: CapabilityDecision[] = [];
  for (const { kind, capability } of neededByNodes(job)) {
    const decision = decideCapability({ kind: job.job_kind, node_kind: kind, protocol_id: job.protocol_id, access_mode: accessMode, capability, capability_profile_id: profile });
    decisions.push(decision);
    if (decision.outcome === 'deny') return { ok: false, decisions, denied: decision };
  }
  const consent = options.allowTerminal && needsTerminalConsent(job.job_kind, job.job_inputs) ? switchConsent(options.now) : undefined;
  return { ok: true, profile, consent, decisions };
}
