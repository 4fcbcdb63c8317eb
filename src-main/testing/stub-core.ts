/**
 * An in-memory HandshakeCore for router and host tests: it keeps jobs in a Map, records every
 * handler call and pushes numbered messages, so host tests can check transport behaviour without
 * a database. It is a test double, not a second implementation of the rules.
 */
import { randomUUID } from 'node:crypto';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { Channel, PushEventName, PushMessage, PushPayload } from '../../src-shared/ipc';
import { defaultLayerScope, zeroMetrics, type AiJob } from '../../src-shared/job';
import { JOB_STATES } from '../../src-shared/enums';
import type { StateCounts } from '../../src-shared/inspector';
import type { ChannelHandlers, HandshakeCore } from '../core/types';

type OperatorChannel = 'jobs.cancel' | 'jobs.resume' | 'jobs.fail' | 'jobs.accept' | 'jobs.reject';

export interface StubCore extends HandshakeCore {
  /** Every handler call, in order, with the parsed input it received. */
  readonly calls: { channel: Channel; input: unknown }[];
  readonly jobs: Map<string, AiJob>;
  readonly closedWith: string[];
  push<E extends PushEventName>(name: E, payload: PushPayload<E>): PushMessage<E>;
}

export function createStubCore(dataDir = '/tmp/stub-data-dir'): StubCore {
  const calls: StubCore['calls'] = [];
  const jobs = new Map<string, AiJob>();
  const listeners = new Set<(message: PushMessage) => void>();
  const closedWith: string[] = [];
  let seq = 0;

  function push<E extends PushEventName>(name: E, payload: PushPayload<E>): PushMessage<E> {
    seq += 1;
    const message: PushMessage<E> = { seq, name, payload };
    for (const listener of listeners) listener(message as PushMessage);
    return message;
  }

  function record(channel: Channel, input: unknown): void {
    calls.push({ channel, input });
  }

  function requireJob(jobId: string): AiJob {
    const job = jobs.get(jobId);
    if (!job) throw new HskError(ERROR_CODES.notFound, `No job ${jobId}`);
    return job;
  }

  function changeState(jobId: string, state: AiJob['state'], reason: string): AiJob {
    const job = { ...requireJob(jobId), state, status_reason: reason, updated_at: new Date().toISOString() };
    jobs.set(jobId, job);
    push('job.changed', { job });
    return job;
  }

  /** An operator action or decision: records the call and moves the job, as the real one would. */
  function operatorHandler(channel: OperatorChannel, state: AiJob['state'], defaultReason: string) {
    return async (input: { job_id: string; reason?: string }): Promise<AiJob> => {
      record(channel, input);
      return changeState(input.job_id, state, input.reason ?? defaultReason);
    };
  }

  const handlers: ChannelHandlers = {
    async 'system.status'(input) {
      record('system.status', input);
      return {
        version: '0.0.0-stub',
        data_dir: dataDir,
        host: 'browser',
        recovery: { state: 'complete', stalled_count: 0, waiting_count: 0, ready_in_ms: 0, recovered_job_ids: [], error: null },
        accepting_jobs: true,
        model_runtime: { kind: 'mock', label: 'Mock model (stub)', model_id: null, reachability: { reachable: true, models: [], message: null, checked_at: null } },
        allow_terminal: false,
        retention_days: 30,
        last_purge_cutoff: null,
        otlp_export: null,
        search_index_lag: 0,
      };
    },
    async 'jobs.create'(input) {
      record('jobs.create', input);
      const now = new Date().toISOString();
      const job: AiJob = {
        job_id: randomUUID(),
        trace_id: input.trace_id ?? randomUUID(),
        workflow_run_id: null,
        job_kind: input.job_kind,
        state: 'queued',
        status_reason: 'created',
        error_message: null,
        protocol_id: input.protocol_id,
        profile_id: input.profile_id ?? 'default',
        capability_profile_id: 'default',
        access_mode: input.access_mode ?? 'analysis_only',
        safety_mode: input.safety_mode ?? 'normal',
        entity_refs: input.entity_refs ?? [],
        planned_operations: input.planned_operations ?? [],
        metrics: zeroMetrics(),
        job_inputs: input.job_inputs ?? null,
        job_outputs: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
        task_schema_version: input.task_schema_version ?? '1.0.0',
        workspace_scope: input.workspace_scope ?? 'default',
        execution_mode: input.job_kind === 'workflow_run' ? 'multi_step' : 'single_step',
        runtime_id: 'unassigned',
        flight_recorder_span_id: randomUUID(),
        consent_profile_id: 'hsk.consent.none.v0',
        consent: { decision: 'not_required', source: null, decided_at: null, expires_at: null },
        layer_scope: input.layer_scope ?? defaultLayerScope(),
      };
      jobs.set(job.job_id, job);
      push('job.changed', { job });
      return job;
    },
    async 'jobs.get'(input) {
      record('jobs.get', input);
      return requireJob(input.job_id);
    },
    async 'jobs.list'(input) {
      record('jobs.list', input);
      const items = [...jobs.values()]
        .filter((job) => !input.job_kind || input.job_kind.includes(job.job_kind))
        .filter((job) => !input.state || input.state.includes(job.state))
        .slice(0, input.limit ?? 50);
      return { items, next_cursor: null };
    },
    'jobs.cancel': operatorHandler('jobs.cancel', 'cancelled', 'cancelled by operator'),
    'jobs.resume': operatorHandler('jobs.resume', 'queued', 'resumed by operator'),
    'jobs.fail': operatorHandler('jobs.fail', 'failed', 'failed by operator'),
    'jobs.accept': operatorHandler('jobs.accept', 'completed', 'accepted by operator'),
    'jobs.reject': operatorHandler('jobs.reject', 'cancelled', 'rejected by operator'),
    async 'runs.list'(input) {
      record('runs.list', input);
      requireJob(input.job_id);
      return { items: [] };
    },
    async 'events.list'(input) {
      record('events.list', input);
      return { items: [], next_cursor: null, purged_before: null };
    },
    async 'bundles.export'(input) {
      record('bundles.export', input);
      if (input.job_id) requireJob(input.job_id);
      throw new HskError(ERROR_CODES.export, 'The stub core does not export bundles');
    },
    async 'traces.export_otlp'(input) {
      record('traces.export_otlp', input);
      if (input.job_id) requireJob(input.job_id);
      throw new HskError(ERROR_CODES.export, 'The stub core does not export traces');
    },
    async 'jobs.lookup'(input) {
      record('jobs.lookup', input);
      const items = input.job_ids.flatMap((id) => {
        const job = jobs.get(id);
        return job ? [{ job_id: job.job_id, job_kind: job.job_kind, state: job.state, trace_id: job.trace_id }] : [];
      });
      return { items };
    },
    async 'timeline.lanes'(input) {
      record('timeline.lanes', input);
      return { from: input.from, to: input.to, mode: 'spans', run_count: 0, spans: [], density: null, extent: null, purged_before: null };
    },
    async 'traces.get'(input) {
      record('traces.get', input);
      const traceJobs = [...jobs.values()]
        .filter((job) => job.trace_id === input.trace_id)
        .map(({ job_id, trace_id, workflow_run_id, job_kind, state, status_reason, error_message, protocol_id, created_at, updated_at, completed_at }) => ({ job_id, trace_id, workflow_run_id, job_kind, state, status_reason, error_message, protocol_id, created_at, updated_at, completed_at }));
      return { trace_id: input.trace_id, jobs: traceJobs, runs: [], events: [], events_next_cursor: null, jobs_truncated: false, purged_before: null };
    },
    async 'bundles.status'(input) {
      record('bundles.status', input);
      return { mode: 'live' };
    },
    async 'bundles.download'(input) {
      record('bundles.download', input);
      requireJob(input.bundle_id);
      throw new HskError('HSK-404-NOT-FOUND', 'The stub core keeps no bundle files');
    },
    async 'bundles.open'(input) {
      record('bundles.open', input);
      throw new HskError('HSK-501-NOT-SUPPORTED', 'The stub core opens no bundles');
    },
    async 'jobs.explain'(input) {
      record('jobs.explain', input);
      const job = requireJob(input.job_id);
      return { job_id: job.job_id, state: job.state, reason: job.state, sentence: `The stub job is ${job.state}.`, facts: [], explained_at: new Date().toISOString() };
    },
    async 'jobs.count'(input) {
      record('jobs.count', input);
      const byState = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as StateCounts;
      for (const job of jobs.values()) byState[job.state] += 1;
      return { total: jobs.size, by_state: byState };
    },
    async 'jobs.cancel_many'(input) {
      record('jobs.cancel_many', input);
      return { cancelled: input.job_ids.map((jobId) => changeState(jobId, 'cancelled', input.reason ?? 'cancelled by operator')), skipped: [] };
    },
    async 'jobs.rerun'(input) {
      record('jobs.rerun', input);
      requireJob(input.job_id);
      throw new HskError('HSK-409-CONFLICT', 'The stub core does not run jobs again');
    },
    async 'jobs.reruns'(input) {
      record('jobs.reruns', input);
      requireJob(input.job_id);
      return { rerun_of: null, reruns: [] };
    },
    async 'jobs.terminal_output'(input) {
      record('jobs.terminal_output', input);
      requireJob(input.job_id);
      return { job_id: input.job_id, node_execution_id: null, stream: input.stream, text: '', size_bytes: 0, from_byte: 0, redacted_count: 0, live: false };
    },
    async 'problems.list'(input) {
      record('problems.list', input);
      return { items: [], next_cursor: null };
    },
    async 'problems.get'(input) {
      record('problems.get', input);
      throw new HskError('HSK-404-NOT-FOUND', 'The stub core holds no problems');
    },
    async 'problems.set_status'(input) {
      record('problems.set_status', input);
      throw new HskError('HSK-404-NOT-FOUND', `No problem ${input.fingerprint}`);
    },
    async 'policy.simulate'(input) {
      record('policy.simulate', input);
      return {
        allowed: false,
        decision_outcome: 'deny',
        capability_id: input.capability_id,
        capability_profile_id: input.capability_profile_id ?? 'Analyst',
        declared: [],
        granted: [],
        reason: 'the stub core denies everything',
        event_id: randomUUID(),
      };
    },
    async 'policy.inspect'(input) {
      record('policy.inspect', input);
      const job = requireJob(input.job_id);
      return { job_id: job.job_id, capability_profile_id: job.capability_profile_id, access_mode: job.access_mode, declared: [], granted: [], decisions: [], registry: [] };
    },
    async 'nav.resolve'(input) {
      record('nav.resolve', input);
      return { resolved: input.target_kind === 'job' && jobs.has(input.id), target_kind: input.target_kind, id: input.id, diagnostic: null };
    },
  };

  return {
    handlers,
    dataDir,
    calls,
    jobs,
    closedWith,
    push,
    recoveryDone: Promise.resolve(),
    onInputRejected: () => null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(reason) {
      closedWith.push(reason);
      listeners.clear();
    },
  };
}
