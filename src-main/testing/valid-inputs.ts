/**
 * One valid input per channel, for tests that need a call to reach the handler (or that mutate a
 * valid input into an invalid one). Typed by the contract, so a schema change breaks it at compile time.
 */
import type { Channel, ChannelInput } from '../../src-shared/ipc';

export const SAMPLE_JOB_ID = '00000000-0000-4000-8000-000000000001';

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
};
