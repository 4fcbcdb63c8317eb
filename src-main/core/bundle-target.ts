/**
 * What a bundles.export call asks the debug_bundle_export job to collect, and the trace it joins:
 * a job (its own trace), every job of a job's trace, a problem (the trace of its latest instance) or a time window (a new trace).
 * The target must exist now, so a bad call fails at once with HSK-404 instead of as a failed job.
 */
import { uuidv7 } from '../db/ids';
import type { ChannelParsedInput } from '../../src-shared/ipc';
import type { JsonValue } from '../../src-shared/job';
import type { Store } from '../store/store';

export interface BundleTarget {
  job_inputs: { [key: string]: JsonValue };
  trace_id: string;
}

export function bundleTarget(store: Store, input: ChannelParsedInput<'bundles.export'>): BundleTarget {
  const mode: { [key: string]: JsonValue } = input.redaction_mode ? { redaction_mode: input.redaction_mode } : {};
  switch (input.scope ?? 'job') {
    case 'problem': {
      const problem = store.getProblem(input.fingerprint!);
      const latest = store.getDiagnostic(problem.latest_diagnostic_id);
      return { job_inputs: { scope: 'problem', fingerprint: problem.fingerprint, ...mode }, trace_id: latest.trace_id };
    }
    case 'time_window':
      return { job_inputs: { scope: 'time_window', from: input.from!, to: input.to!, ...mode }, trace_id: uuidv7() };
    case 'trace': {
      const target = store.getJob(input.job_id!);
      return { job_inputs: { scope: 'trace', trace_id: target.trace_id, ...mode }, trace_id: target.trace_id };
    }
    case 'job': {
      const target = store.getJob(input.job_id!);
      return { job_inputs: { target_job_id: target.job_id, ...mode }, trace_id: target.trace_id };
    }
  }
}
