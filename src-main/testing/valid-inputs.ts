/**
 * One valid input per channel, for tests that need a call to reach the handler (or that mutate a
 * valid input into an invalid one). Typed by the contract, so a schema change breaks it at compile time.
 */
import type { Channel, ChannelInput } from '../../src-shared/ipc';

export const SAMPLE_JOB_ID = '00000000-0000-4000-8000-000000000001';
export const SAMPLE_FINGERPRINT = 'a'.repeat(64);

export const VALID_INPUTS: { [C in Channel]: ChannelInput<C> } = {
  'system.status': {},
  'jobs.create': { job_kind: 'doc_summarize', protocol_id: 'protocol.test' },
  'jobs.get': { job_id: SAMPLE_JOB_ID },
  'jobs.list': { limit: 10 },
  'jobs.cancel': { job_id: SAMPLE_JOB_ID, reason: 'test' },
  'jobs.resume': { job_id: SAMPLE_JOB_ID },
  'jobs.fail': { job_id: SAMPLE_JOB_ID },
  'runs.list': { job_id: SAMPLE_JOB_ID },
  'events.list': { order: 'asc' },
  'bundles.export': { job_id: SAMPLE_JOB_ID },
  'problems.list': { severity: ['error', 'fatal'], limit: 10 },
  'problems.get': { fingerprint: SAMPLE_FINGERPRINT },
  'problems.set_status': { fingerprint: SAMPLE_FINGERPRINT, status: 'acknowledged' },
  'policy.simulate': { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', capability_id: 'terminal.exec' },
  'policy.inspect': { job_id: SAMPLE_JOB_ID },
  'nav.resolve': { target_kind: 'job', id: SAMPLE_JOB_ID },
};
