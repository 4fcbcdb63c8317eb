/**
 * An in-memory HandshakeCore for router and host tests: it keeps jobs in a Map, records every
 * handler call and pushes numbered messages, so host tests can check transport behaviour without
 * a database. It is a test double, not a second implementation of the rules.
 */
import { randomUUID } from 'node:crypto';
import { HskError } from '../../src-shared/errors';
import type { Channel, PushEventName, PushMessage, PushPayload } from '../../src-shared/ipc';
import { zeroMetrics, type AiJob } from '../../src-shared/job';
import type { ChannelHandlers, HandshakeCore } from '../core/types';

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
    if (!job) throw new HskError('HSK-404-NOT-FOUND', `No job ${jobId}`);
    return job;
  }

  function changeState(jobId: string, state: AiJob['state'], reason: string): AiJob {
    const job = { ...requireJob(jobId), state, status_reason: reason, updated_at: new Date().toISOString() };
    jobs.set(jobId, job);
    push('job.changed', { job });
    return job;
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
        model_runtime: { kind: 'mock', label: 'Mock model (stub)', model_id: null },
        retention_days: 30,
        last_purge_cutoff: null,
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
    async 'jobs.cancel'(input) {
      record('jobs.cancel', input);
      return changeState(input.job_id, 'cancelled', input.reason ?? 'cancelled by operator');
    },
    async 'jobs.resume'(input) {
      record('jobs.resume', input);
      return changeState(input.job_id, 'queued', input.reason ?? 'resumed by operator');
    },
    async 'jobs.fail'(input) {
      record('jobs.fail', input);
      return changeState(input.job_id, 'failed', input.reason ?? 'failed by operator');
    },
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
      requireJob(input.job_id);
      throw new HskError('HSK-500-EXPORT', 'The stub core does not export bundles');
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
    onInputRejected() {},
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
