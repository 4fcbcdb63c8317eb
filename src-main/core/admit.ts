/**
 * The submission checkpoint, shared by jobs.create, bundles.export and the seed: decide every
 * capability the job will need; refuse at once what can never be granted (its deny decision and a
 * job_rejected record, no job row); otherwise store the job with the profile the main process chose,
 * the consent the host gives, and its allow decisions, in one transaction.
 */
import { uuidv7 } from '../db/ids';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { AiJob, NewJob } from '../../src-shared/job';
import { admitJob, capabilityEvent, type CapabilitySubject } from '../capabilities';
import type { Store } from '../store/store';

export interface AdmitOptions {
  /** The host was started with --allow-terminal. */
  allowTerminal: boolean;
  /** The kind as the caller spelled it (e.g. term_exec). */
  submittedKind: string | null;
  actor?: 'human' | 'system';
}

/** The field a capability refusal is about, for the job_rejected record and the submit dialog. */
function refusedField(rule: string): string {
  if (rule.startsWith('protocol.')) return 'protocol_id';
  if (rule.startsWith('access_mode.') || rule.startsWith('kind.')) return 'access_mode';
  return 'job_kind';
}

function subjectOf(input: NewJob, jobId: string | null, traceId: string): CapabilitySubject {
  return { job_id: jobId, trace_id: traceId, job_kind: input.job_kind, protocol_id: input.protocol_id, access_mode: input.access_mode ?? 'analysis_only' };
}

export function createAdmittedJob(store: Store, input: NewJob, options: AdmitOptions): AiJob {
  const admission = admitJob(input, { allowTerminal: options.allowTerminal, now: Date.now() });
  if (!admission.ok) {
    const { denied } = admission;
    const traceId = input.trace_id ?? uuidv7();
    const field = refusedField(denied.rule);
    store.transaction(() => {
      for (const decision of admission.decisions) store.recordEvent(capabilityEvent(subjectOf(input, null, traceId), decision, 'submission'));
      store.recordEvent({
        type: 'job_rejected',
        actor: options.actor ?? 'human',
        actor_id: 'submitter',
        trace_id: traceId,
        payload: { code: ERROR_CODES.capabilityDenied, field, reason: `${denied.capability_id} denied (${denied.rule})`, submitted_job_kind: options.submittedKind },
      });
    });
    throw new HskError(ERROR_CODES.capabilityDenied, `${denied.capability_id} can never be granted to this job: ${denied.message} (${denied.rule})`, {
      capability_id: denied.capability_id,
      rule: denied.rule,
      issues: [{ path: field, code: 'capability_denied', message: `${denied.message} (${denied.rule})` }],
    });
  }
  return store.transaction(() => {
    const job = store.createJob(input, {
      capabilityProfileId: admission.profile,
      consent: admission.consent,
      submittedKind: options.submittedKind,
      actor: options.actor ?? 'human',
    });
    for (const decision of admission.decisions) store.recordEvent(capabilityEvent(subjectOf(input, job.job_id, job.trace_id), decision, 'submission'));
    return job;
  });
}
