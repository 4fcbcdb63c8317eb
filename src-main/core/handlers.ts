/**
 * The channel handlers: the business side of the IPC contract, shared by both hosts.
 */
import path from 'node:path';
import { waitsForConsent, type AiJob, type NewJob } from '../../src-shared/job';
import type { BulkCancelResult } from '../../src-shared/inspector';
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
import type { BundleViewLauncher, ChannelHandlers, CoreOptions } from './types';
import { createAdmittedJob } from './admit';
import type { OtlpLiveStatus } from '../../src-shared/otlp';
import { otlpExportFileName, otlpScopeOf } from '../otel/export-scope';
import { writeOtlpExport } from '../otel/otlp-export';
import { jobLabels } from '../read-models/job-labels';
import { LaneQueries } from '../read-models/lanes';
import { readSourceOf } from '../read-models/source';
import { loadTrace } from '../read-models/trace';
import { readExportedBundle } from '../bundle-viewer/download';
import { createExplainer } from '../explain/explain';
import { readTerminalOutput } from '../executors/terminal-output';
import { JobCounter } from '../jobs/counts';
import type { JobFilter } from '../store/job-filter';
import { RerunLinkQueries, rerunSubmission } from '../jobs/reruns';
import { createProblemHandlers } from './problem-handlers';
import { bundleTarget } from './bundle-target';

export interface HandlerDeps {
  store: Store;
  runner: JobRunner;
  options: Required<Pick<CoreOptions, 'dataDir' | 'host' | 'version' | 'retentionDays' | 'concurrency' | 'allowTerminal'>>;
  modelRuntime: ModelRuntimeDescription;
  runtimeProbe: RuntimeProbe;
  recoveryStatus(): RecoveryStatus;
  /** Resolves once startup recovery is complete; rejects with HSK-503-RECOVERY-FAILED if it failed. */
  recoveryDone: Promise<void>;
  /** The live OTLP export's counters; null when live export is off. */
  otlpStatus(): OtlpLiveStatus | null;
  /** Opens a bundle in its own read-only inspector; hosts without one refuse bundles.open. */
  openBundleView?: BundleViewLauncher;
}

function epoch(value: string | undefined): number | undefined {
  return value === undefined ? undefined : (parseRfc3339(value) ?? undefined);
}

/** A jobs.list / jobs.count filter with its times as epoch milliseconds. */
function jobFilterOf(input: ChannelParsedInput<'jobs.count'>): JobFilter {
  return {
    state: input.state,
    job_kind: input.job_kind,
    created_from: epoch(input.created_from),
    created_to: epoch(input.created_to),
    text: input.text,
    trace_id: input.trace_id,
    workflow_run_id: input.workflow_run_id,
  };
}

/** The kind as the caller spelled it (the parsed input already holds the canonical kind). */
function submittedKindOf(raw: unknown): string | null {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { job_kind?: unknown }).job_kind : undefined;
  return typeof kind === 'string' ? kind.slice(0, 128) : null;
}

type BulkSkip = BulkCancelResult['skipped'][number];

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
  const readSource = readSourceOf(store);
  const lanes = new LaneQueries(readSource);
  const explain = createExplainer({
    store,
    recoveryStatus: deps.recoveryStatus,
    concurrency: deps.options.concurrency,
    modelRuntime: deps.modelRuntime,
  });
  const counter = new JobCounter(readSource.db);
  const rerunLinks = new RerunLinkQueries(readSource.db);

  const admit = (input: NewJob, submittedKind: string | null): AiJob =>
    createAdmittedJob(store, input, { allowTerminal: deps.options.allowTerminal, submittedKind });

  /** Stores a job a person submitted (directly or as a rerun), once startup recovery allows it. */
  async function submitJob(input: NewJob, raw?: unknown): Promise<AiJob> {
    // The gate: no job is accepted before startup recovery has finished (HSK-WF-003). Callers wait.
    await deps.recoveryDone;
    const job = admit(input, submittedKindOf(raw));
    runner.wake();
    return job;
  }

  /** Cancels one job of a bulk cancel; a job that finished meanwhile is skipped, not an error. */
  async function cancelOne(job: AiJob, reason: string): Promise<{ job: AiJob } | { skipped: BulkSkip }> {
    if (!operatorMay('cancel', job.state)) return { skipped: { job_id: job.job_id, state: job.state, message: `a ${job.state} job cannot be cancelled` } };
    try {
      return { job: await runner.cancel(job.job_id, reason) };
    } catch (error) {
      if (!(error instanceof HskError) || error.code !== ERROR_CODES.illegalTransition) throw error;
      const now = store.getJob(job.job_id);
      return { skipped: { job_id: job.job_id, state: now.state, message: error.message } };
    }
  }

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
  /**
   * A job still `running` before recovery completes is an orphan recovery has not handled yet
   * (the engine starts only after recovery): an operator's decision on it waits for recovery, so
   * no recovery event can contradict it.
   */
  async function afterRecoveryOf(jobId: string): Promise<AiJob> {
    const job = store.getJob(jobId);
    if (job.state !== 'running' || deps.recoveryStatus().state === 'complete') return job;
    await deps.recoveryDone;
    return store.getJob(jobId);
  }

  async function operatorAction(action: OperatorAction, input: ChannelParsedInput<'jobs.cancel'>): Promise<AiJob> {
    const job = await afterRecoveryOf(input.job_id);
    if (!operatorMay(action, job.state)) {
      throw new HskError(
        ERROR_CODES.illegalTransition,
        `cannot ${action} a job that is ${job.state}`,
        { job_id: job.job_id, state: job.state, action },
      );
    }
    const reason = input.reason ?? DEFAULT_OPERATOR_REASON[action];
    if (action === 'cancel') return runner.cancel(job.job_id, reason);
    // A resumed job runs again: the stall's explanation no longer describes it.
    const patch = action === 'resume' ? { error_message: null } : undefined;
    const updated = store.transitionJob(job.job_id, OPERATOR_ACTIONS[action], 'operator', reason, patch);
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
        otlp_export: deps.otlpStatus(),
        accepting_jobs: recovery.state === 'complete',
        model_runtime: { ...deps.modelRuntime, reachability: deps.runtimeProbe.current },
        allow_terminal: deps.options.allowTerminal,
        retention_days: deps.options.retentionDays,
        last_purge_cutoff: store.purgedBefore(),
        search_index_lag: store.searchIndexLag(),
      };
    },

    'jobs.create': (input, raw) => submitJob(input, raw),

    async 'jobs.get'(input) {
      return store.getJob(input.job_id);
    },

    async 'jobs.list'(input) {
      return store.listJobs({
        ...jobFilterOf(input),
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
      const target = bundleTarget(store, input);
      const job = admit(
        {
          job_kind: 'debug_bundle_export',
          protocol_id: BUNDLE_EXPORT_PROTOCOL,
          access_mode: 'analysis_only',
          job_inputs: target.job_inputs,
          trace_id: target.trace_id,
        },
        null,
      );
      runner.wake();
      return job;
    },

    async 'traces.export_otlp'(input) {
      const scope = otlpScopeOf(input);
      return writeOtlpExport(store, scope, path.join(deps.options.dataDir, 'exports', otlpExportFileName(scope)), deps.options.version);
    },

    async 'jobs.lookup'(input) {
      return { items: jobLabels(readSource, input.job_ids) };
    },

    async 'timeline.lanes'(input) {
      const from = epoch(input.from)!;
      const to = epoch(input.to)!;
      if (to <= from) throw new HskError(ERROR_CODES.invalidInput, '`to` must be later than `from`', { field: 'to' });
      return lanes.window({ from, to, maxSpans: input.max_spans ?? 2_000, buckets: input.buckets ?? 200, now: Date.now() });
    },

    async 'traces.get'(input) {
      return loadTrace(readSource, store, input.trace_id, input.event_limit);
    },

    async 'bundles.status'() {
      return { mode: 'live' as const };
    },

    async 'bundles.download'(input) {
      return readExportedBundle(store, deps.options.dataDir, input.bundle_id);
    },

    async 'bundles.open'(input) {
      if (!deps.openBundleView) {
        throw new HskError(ERROR_CODES.notSupported, 'This host cannot open bundles; run: npm run serve -- --bundle FILE.zip');
      }
      return deps.openBundleView(input.file_name, Buffer.from(input.data_base64, 'base64'));
    },

    async 'jobs.explain'(input) {
      return explain(input.job_id);
    },

    async 'jobs.count'(input) {
      // A text count sees the same jobs a text search would: a small index backlog is caught up
      // first; a larger one (a bulk import) is said, as the list says it.
      const lag = input.text?.trim() ? store.freshenSearch() : 0;
      const counts = counter.count(jobFilterOf(input));
      return lag > 0 ? { ...counts, search_index_lag: lag } : counts;
    },

    async 'jobs.cancel_many'(input) {
      // Every id must name a job before anything is cancelled: an unknown one refuses the whole call.
      const jobs = input.job_ids.map((jobId) => store.getJob(jobId));
      const reason = input.reason ?? DEFAULT_OPERATOR_REASON.cancel;
      const outcomes = await Promise.all(jobs.map((job) => cancelOne(job, reason)));
      return {
        cancelled: outcomes.flatMap((outcome) => ('job' in outcome ? [outcome.job] : [])),
        skipped: outcomes.flatMap((outcome) => ('skipped' in outcome ? [outcome.skipped] : [])),
      };
    },

    async 'jobs.rerun'(input) {
      return submitJob(rerunSubmission(store.getJob(input.job_id), input.job_inputs));
    },

    async 'jobs.reruns'(input) {
      return rerunLinks.links(store.getJob(input.job_id));
    },

    async 'jobs.terminal_output'(input) {
      return readTerminalOutput(deps.options.dataDir, store.listRuns(input.job_id), input);
    },

    ...createProblemHandlers(store),
  };
}
