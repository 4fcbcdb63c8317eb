/**
 * The channel handlers: the business side of the IPC contract, shared by both hosts.
 */
import type { AiJob } from '../../src-shared/job';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { ChannelParsedInput, RecoveryStatus } from '../../src-shared/ipc';
import { BUNDLE_EXPORT_PROTOCOL } from '../../src-shared/protocols';
import { parseRfc3339 } from '../../src-shared/time';
import { OPERATOR_ACTIONS, operatorMay, type OperatorAction } from '../../src-shared/transitions';
import { profileForJob } from '../capabilities';
import type { ModelRuntimeDescription } from '../model-runtime/runtime';
import type { Store } from '../store/store';
import type { JobRunner } from '../workflows/engine';
import type { ChannelHandlers, CoreOptions } from './types';

export interface HandlerDeps {
  store: Store;
  runner: JobRunner;
  options: Required<Pick<CoreOptions, 'dataDir' | 'host' | 'version' | 'retentionDays'>>;
  modelRuntime: ModelRuntimeDescription;
  recoveryStatus(): RecoveryStatus;
  /** Resolves once startup recovery is complete; rejects if it failed. */
  recoveryDone: Promise<void>;
}

function epoch(value: string | undefined): number | undefined {
  return value === undefined ? undefined : (parseRfc3339(value) ?? undefined);
}

/** The kind as the caller spelled it (the parsed input already holds the canonical kind). */
function submittedKindOf(raw: unknown): string | null {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { job_kind?: unknown }).job_kind : undefined;
  return typeof kind === 'string' ? kind.slice(0, 128) : null;
}

const DEFAULT_OPERATOR_REASON: Record<OperatorAction, string> = {
  cancel: 'cancelled_by_operator',
  resume: 'resumed_by_operator',
  fail: 'failed_by_operator',
};

export function createHandlers(deps: HandlerDeps): ChannelHandlers {
  const { store, runner } = deps;

  /** Operator actions run the transition table with cause `operator` (actor human in the log). */
  async function operatorAction(action: OperatorAction, input: ChannelParsedInput<'jobs.cancel'>): Promise<AiJob> {
    const job = store.getJob(input.job_id);
    if (!operatorMay(action, job.state)) {
      throw new HskError(
        ERROR_CODES.illegalTransition,
        `cannot ${action} a job that is ${job.state}`,
        { job_id: job.job_id, state: job.state, action },
      );
    }
    const reason = input.reason ?? DEFAULT_OPERATOR_REASON[action];
    if (action === 'cancel') return runner.cancel(job.job_id, reason);
    const updated = store.transitionJob(job.job_id, OPERATOR_ACTIONS[action], 'operator', reason);
    if (action === 'resume') runner.wake();
    return updated;
  }

  return {
    async 'system.status'() {
      const recovery = deps.recoveryStatus();
      return {
        version: deps.options.version,
        data_dir: deps.options.dataDir,
        host: deps.options.host,
        recovery,
        accepting_jobs: recovery.state === 'complete',
        model_runtime: deps.modelRuntime,
        retention_days: deps.options.retentionDays,
        last_purge_cutoff: store.purgedBefore(),
        search_index_lag: store.searchIndexLag(),
      };
    },

    async 'jobs.create'(input, raw) {
      // The gate: no job is accepted before startup recovery has finished (HSK-WF-003). Callers wait.
      await deps.recoveryDone;
      const job = store.createJob(input, {
        capabilityProfileId: profileForJob(input.job_kind, input.protocol_id),
        submittedKind: submittedKindOf(raw),
        actor: 'human',
      });
      runner.wake();
      return job;
    },

    async 'jobs.get'(input) {
      return store.getJob(input.job_id);
    },

    async 'jobs.list'(input) {
      return store.listJobs({
        state: input.state,
        job_kind: input.job_kind,
        created_from: epoch(input.created_from),
        created_to: epoch(input.created_to),
        text: input.text,
        trace_id: input.trace_id,
        workflow_run_id: input.workflow_run_id,
        sort: input.sort,
        cursor: input.cursor,
        limit: input.limit,
      });
    },

    'jobs.cancel': (input) => operatorAction('cancel', input),
    'jobs.resume': (input) => operatorAction('resume', input),
    'jobs.fail': (input) => operatorAction('fail', input),

    async 'runs.list'(input) {
      return { items: store.listRuns(input.job_id) };
    },

    async 'events.list'(input) {
      return store.listEvents({
        event_id: input.event_id,
        job_id: input.job_id,
        trace_id: input.trace_id,
        workflow_run_id: input.workflow_run_id,
        type: input.type,
        actor: input.actor,
        from: epoch(input.from),
        to: epoch(input.to),
        cursor: input.cursor,
        limit: input.limit,
        order: input.order,
      });
    },

    async 'bundles.export'(input) {
      await deps.recoveryDone;
      const target = store.getJob(input.job_id);
      const job = store.createJob(
        {
          job_kind: 'debug_bundle_export',
          protocol_id: BUNDLE_EXPORT_PROTOCOL,
          access_mode: 'analysis_only',
          job_inputs: { target_job_id: target.job_id },
          trace_id: target.trace_id,
        },
        { capabilityProfileId: profileForJob('debug_bundle_export', BUNDLE_EXPORT_PROTOCOL), actor: 'human' },
      );
      runner.wake();
      return job;
    },
  };
}
