/**
 * One valid input per channel, for tests that need a call to reach the handler (or that mutate a
 * valid input into an invalid one). Typed by the contract, so a schema change breaks it at compile time.
 */
import type { Channel, ChannelInput } from '../../src-shared/ipc';

export const SAMPLE_JOB_ID = '00000000-0000-4000-8000-000000000001';
export const SAMPLE_FINGERPRINT = 'a'.repeat(64);

export const VALID_INPUTS: { [C in Channel]: ChannelInput<C> } = {
  'system.status': {},
  'jobs.create': {
    job_kind: 'doc_summarize',
    protocol_id: 'hsk.docs.summarize.v0',
    job_inputs: { text: 'Summarise this.', doc_id: '00000000-0000-4000-8000-0000000000d0' },
  },
  'jobs.get': { job_id: SAMPLE_JOB_ID },
  'jobs.list': { limit: 10 },
  'jobs.cancel': { job_id: SAMPLE_JOB_ID, reason: 'test' },
  'jobs.resume': { job_id: SAMPLE_JOB_ID },
  'jobs.fail': { job_id: SAMPLE_JOB_ID },
  'jobs.accept': { job_id: SAMPLE_JOB_ID, reason: 'looks right' },
  'jobs.reject': { job_id: SAMPLE_JOB_ID },
  'runs.list': { job_id: SAMPLE_JOB_ID },
  'events.list': { order: 'asc' },
  'bundles.export': { job_id: SAMPLE_JOB_ID },
  'traces.export_otlp': { job_id: SAMPLE_JOB_ID },
  'jobs.lookup': { job_ids: [SAMPLE_JOB_ID] },
  'timeline.lanes': { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' },
  'traces.get': { trace_id: SAMPLE_JOB_ID },
  'bundles.status': {},
  'bundles.download': { bundle_id: SAMPLE_JOB_ID },
  'bundles.open': { file_name: 'bundle.zip', data_base64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
  'jobs.explain': { job_id: SAMPLE_JOB_ID },
  'jobs.count': { state: ['failed'] },
  'jobs.cancel_many': { job_ids: [SAMPLE_JOB_ID], reason: 'test' },
  'jobs.rerun': { job_id: SAMPLE_JOB_ID, job_inputs: { text: 'again' } },
  'jobs.reruns': { job_id: SAMPLE_JOB_ID },
  'jobs.terminal_output': { job_id: SAMPLE_JOB_ID, stream: 'stdout', max_bytes: 1024 },
  'problems.list': { severity: ['error', 'fatal'], limit: 10 },
  'problems.get': { fingerprint: SAMPLE_FINGERPRINT },
  'problems.set_status': { fingerprint: SAMPLE_FINGERPRINT, status: 'acknowledged' },
  'policy.simulate': { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', capability_id: 'terminal.exec' },
  'policy.inspect': { job_id: SAMPLE_JOB_ID },
  'nav.resolve': { target_kind: 'job', id: SAMPLE_JOB_ID },
};
