/**
 * The channel handlers: the business side of the IPC contract, shared by both hosts.
 */
import { waitsForConsent, type AiJob, type NewJob } from '../../src-shared/job';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { ChannelParsedInput, RecoveryStatus } from '../../src-shared/ipc';
import { BUNDLE_EXPORT_PROTOCOL } from '../../src-shared/protocols';
import { parseRfc3339 } from '../../src-shared/time';
import {
  OPERATOR_ACTIONS,
  decisionTarget,
  isDecisionState,
  operatorMay,
  type OperatorAction,
  type OperatorDecision,
} from '../../src-shared/transitions';
import { operatorConsent } from '../capabilities';
import type { ModelRuntimeDescription } from '../model-runtime/runtime';
import type { RuntimeProbe } from '../model-runtime/probe';
import type { ConsentColumns } from '../store/rows';
import type { Store } from '../store/store';
import type { JobRunner } from '../workflows/engine';
import { createAdmittedJob } from './admit';
import type { ChannelHandlers, CoreOptions } from './types';

export interface HandlerDeps {
  store: Store;
  runner: JobRunner;
  options: Required<Pick<CoreOptions, 'dataDir' | 'host' | 'version' | 'retentionDays' | 'allowTerminal'>>;
  modelRuntime: ModelRuntimeDescription;
  runtimeProbe: RuntimeProbe;
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

const DEFAULT_DECISION_REASON: Record<OperatorDecision, string> = {
  accept: 'accepted_by_operator',
  reject: 'rejected_by_operator',
};

function deniedConsent(now: number): ConsentColumns {
  return { consent_decision: 'denied', consent_source: 'operator', consent_decided_at: now, consent_expires_at: null };
}

export function createHandlers(deps: HandlerDeps): ChannelHandlers {
  const { store, runner } = deps;

  const admit = (input: NewJob, submittedKind: string | null): AiJob =>
    createAdmittedJob(store, input, { allowTerminal: deps.options.allowTerminal, submittedKind });

  /** jobs.accept / jobs.reject: the operator's decision on a job that waits for a person. */
  async function decide(decision: OperatorDecision, input: ChannelParsedInput<'jobs.accept'>): Promise<AiJob> {
    const job = store.getJob(input.job_id);
    if (!isDecisionState(job.state)) {
      throw new HskError(ERROR_CODES.illegalTransition, `cannot ${decision} a job that is ${job.state}; only a job in awaiting_validation or awaiting_user waits for a decision`, {
        job_id: job.job_id,
        state: job.state,
        action: decision,
      });
    }
    const forConsent = waitsForConsent(job);
    const now = Date.now();
    const consent = forConsent ? (decision === 'accept' ? operatorConsent(now) : deniedConsent(now)) : undefined;
    const reason = input.reason ?? (forConsent ? (decision === 'accept' ? 'consent_granted_by_operator' : 'consent_denied_by_operator') : DEFAULT_DECISION_REASON[decision]);
    const updated = store.transitionJob(job.job_id, decisionTarget(decision, forConsent), 'operator', reason, consent ? { consent } : undefined);
    if (updated.state === 'queued') runner.wake();
    return updated;
  }

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
    async 'system.status'(input) {
      const recovery = deps.recoveryStatus();
      if (input.check_model_runtime) await deps.runtimeProbe.check();
      return {
        version: deps.options.version,
        data_dir: deps.options.dataDir,
        host: deps.options.host,
        recovery,
        accepting_jobs: recovery.state === 'complete',
        model_runtime: { ...deps.modelRuntime, reachability: deps.runtimeProbe.current },
        allow_terminal: deps.options.allowTerminal,
        retention_days: deps.options.retentionDays,
        last_purge_cutoff: store.purgedBefore(),
      };
    },

    async 'jobs.create'(input, raw) {
      // The gate: no job is accepted before startup recovery has finished (HSK-WF-003). Callers wait.
      await deps.recoveryDone;
      const job = admit(input, submittedKindOf(raw));
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
    'jobs.accept': (input) => decide('accept', input),
    'jobs.reject': (input) => decide('reject', input),

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
      const job = admit(
        {
          job_kind: 'debug_bundle_export',
          protocol_id: BUNDLE_EXPORT_PROTOCOL,
          access_mode: 'analysis_only',
          job_inputs: input.scope === 'trace' ? { scope: 'trace', trace_id: target.trace_id } : { target_job_id: target.job_id },
          trace_id: target.trace_id,
        },
        null,
      );
      runner.wake();
      return job;
    },
  };
}
