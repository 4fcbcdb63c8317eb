/**
 * The workflow engine: the only path that executes AI jobs (§2.6.6.4). It takes queued jobs in
 * creation order, runs at most `concurrency` at a time, each as a workflow run of one or more
 * nodes, and reports milestones so tests and tools can wait for facts instead of sleeping.
 */
import path from 'node:path';
import type { JobKind, RunStatus } from '../../src-shared/enums';
import { ERROR_CODES, isHskError } from '../../src-shared/errors';
import { isUnsupportedRecord, listedIdOf, type AiJob, type UnsupportedRecord, type WorkflowRun } from '../../src-shared/job';
import { createCapabilityGate, type CapabilityGate } from '../capabilities/gate';
import type { BundleEnvironment } from '../executors/debug-bundle';
import { createExecutorRegistry } from '../executors/registry';
import { PENDING_CONSENT } from '../store/jobs';
import type { ExecutorRegistry } from '../executors/types';
import type { ModelRuntime } from '../model-runtime';
import { planRun, type PlannedNode } from './plan';
import { reusableSteps } from './resume';
import { ActiveRun, realTimers, type TimerApi } from './run';
import type { EngineStore } from './store-port';

export type EngineMilestone =
  | { type: 'run_started'; job_id: string; workflow_run_id: string; attempt: number }
  | { type: 'heartbeat'; job_id: string; workflow_run_id: string; at_ms: number }
  | { type: 'run_finished'; job_id: string; workflow_run_id: string; status: RunStatus | 'left_running' }
  | { type: 'job_refused'; job_id: string; reason: string }
  /** The job needs a consent it does not have: it waits in awaiting_user and nothing runs. */
  | { type: 'job_held'; job_id: string; reason: string }
  | { type: 'idle' };

export interface WorkflowEngineOptions {
  store: EngineStore;
  dataDir: string;
  /** Where doc_ingest and model kinds may read files from (default <dataDir>/documents). */
  documentsDir?: string;
  concurrency?: number;
  heartbeatMs?: number;
  modelRuntime: ModelRuntime | null;
  capabilities?: CapabilityGate;
  executors?: ExecutorRegistry;
  /** What a debug bundle's env.json says about this host. */
  environment?: () => BundleEnvironment;
  /** Per-kind node timeouts that override the executors' own. */
  timeouts?: Partial<Record<JobKind, number>>;
  clock?: () => number;
  timers?: TimerApi;
}

export class WorkflowEngine {
  private readonly store: EngineStore;
  private readonly concurrency: number;
  private readonly executors: ExecutorRegistry;
  private readonly gate: CapabilityGate;
  private readonly active = new Map<string, { run: ActiveRun; done: Promise<void> }>();
  private readonly listeners = new Set<(milestone: EngineMilestone) => void>();
  /** Jobs whose start threw unexpectedly and could not even be failed: never picked again. */
  private readonly skipped = new Set<string>();
  private started = false;
  private stopping = false;
  private pumpScheduled = false;
  /** Runs whose end is written but not yet committed: they no longer hold an executor slot. */
  private finishing = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly clock: () => number;

  constructor(private readonly options: WorkflowEngineOptions) {
    this.store = options.store;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.executors = options.executors ?? createExecutorRegistry(options.modelRuntime, options.environment);
    this.gate = options.capabilities ?? createCapabilityGate((draft) => this.store.recordEvent(draft));
    this.clock = options.clock ?? Date.now;
  }

  /** Called by the composition root once startup recovery is complete. */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.schedulePump();
  }

  /** A job was queued or resumed. */
  wake(): void {
    this.schedulePump();
  }

  /** Jobs whose executors are working (a run whose end is written no longer counts). */
  get runningJobIds(): string[] {
    return [...this.active.entries()].filter(([, entry]) => !entry.run.endWritten).map(([jobId]) => jobId);
  }

  /** Subscribes to milestones; returns an unsubscribe function. */
  on(listener: (milestone: EngineMilestone) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first milestone matching `predicate` from now on. */
  waitFor<M extends EngineMilestone>(predicate: (milestone: EngineMilestone) => milestone is M): Promise<M>;
  waitFor(predicate: (milestone: EngineMilestone) => boolean): Promise<EngineMilestone>;
  waitFor(predicate: (milestone: EngineMilestone) => boolean): Promise<EngineMilestone> {
    return new Promise((resolve) => {
      const off = this.on((milestone) => {
        if (!predicate(milestone)) return;
        off();
        resolve(milestone);
      });
    });
  }

  /** Resolves when nothing is running and no queued job is waiting for a slot. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Cancels a job. If it runs here, its executor is aborted and the run ends `cancelled`;
   * otherwise the store applies the operator's transition (refused where the table forbids it).
   */
  async cancel(jobId: string, reason: string): Promise<AiJob> {
    const entry = this.active.get(jobId);
    if (!entry) return this.store.transitionJob(jobId, 'cancelled', 'operator', reason);
    entry.run.cancel(reason);
    await entry.done;
    return this.store.getJob(jobId);
  }

  /** Stops taking work and aborts running executors, leaving their runs `running` for recovery. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const { run } of this.active.values()) run.shutdown();
    await Promise.all([...this.active.values()].map((entry) => entry.done));
    this.resolveIdle();
  }

  private emit(milestone: EngineMilestone): void {
    for (const listener of this.listeners) listener(milestone);
  }

  private executing(): number {
    return this.active.size - this.finishing;
  }

  /**
   * A run's end is written (not yet committed): its slot is free, and the next job's start joins
   * the same group commit as this end, so one fsync covers both.
   */
  private finishWritten(jobId: string, runId: string, status: RunStatus, durable: Promise<void>): void {
    this.finishing += 1;
    // Registered before the next start's reaction, so run_finished is announced before run_started.
    void durable.then(
      () => this.emit({ type: 'run_finished', job_id: jobId, workflow_run_id: runId, status }),
      // The end was rolled back with its group: the run is still running in the store.
      () => this.emit({ type: 'run_finished', job_id: jobId, workflow_run_id: runId, status: 'left_running' }),
    );
    if (!this.stopping) this.pump();
  }

  private isIdle(): boolean {
    return this.active.size === 0 && !this.pumpScheduled;
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedulePump(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.stopping && this.executing() < this.concurrency) {
      const free = this.concurrency - this.executing();
      const batch = this.store.nextQueuedJobs(free + this.skipped.size).filter((job) => !this.skipped.has(listedIdOf(job)));
      if (batch.length === 0) break;
      const damaged = batch.filter(isUnsupportedRecord);
      if (damaged.length > 0) {
        this.passOver(damaged);
        continue;
      }
      for (const job of batch.slice(0, free) as AiJob[]) this.begin(job);
    }
    if (this.isIdle()) {
      this.emit({ type: 'idle' });
      this.resolveIdle();
    }
  }

  /** A queued row that is not a valid job is never run: it is skipped, with a log line naming it. */
  private passOver(damaged: UnsupportedRecord[]): void {
    for (const record of damaged) {
      console.error(`queued job ${record.raw_id} is an unsupported record and is not run: ${record.reason}`);
      this.skipped.add(record.raw_id);
    }
  }

  private begin(job: AiJob): void {
    try {
      // The capability decisions, the run's start and its first node's checkpoint: one unit of a
      // group commit shared with the other jobs starting or finishing in this turn (one fsync).
      const { result: started, durable } = this.store.groupTransaction(
        (): { refused: string } | { held: string } | { active: ActiveRun; run: WorkflowRun } => {
          const plan = planRun(job, this.executors, this.clock());
          if ('hold' in plan) {
            this.store.transitionJob(job.job_id, 'awaiting_user', 'policy', plan.hold, { error_message: plan.message, consent: PENDING_CONSENT });
            return { held: plan.hold };
          }
          if (!plan.ok) {
            this.store.transitionJob(job.job_id, 'failed', plan.cause, plan.reason, { error_message: plan.message });
            return { refused: plan.reason };
          }
          const { job: running, run } = this.store.startRun(job.job_id, plan.runtimeId);
          const reused = run.attempt > 1 ? reusableSteps(plan.mode, plan.nodes, this.latestEarlierRun(job.job_id, run)) : [];
          const active = new ActiveRun(this.runEnvironment(running.job_id), running, run, plan.nodes, plan.mode, reused);
          active.openFirst();
          return { active, run };
        },
      );
      if ('held' in started) {
        void durable.then(
          () => this.emit({ type: 'job_held', job_id: job.job_id, reason: started.held }),
          (error: unknown) => console.error(`holding job ${job.job_id} for consent could not be committed:`, error),
        );
        return;
      }
      if ('refused' in started) {
        void durable.then(
          () => this.emit({ type: 'job_refused', job_id: job.job_id, reason: started.refused }),
          // Rolled back with its group: the job is still queued and is taken again on the next wake.
          (error: unknown) => console.error(`the refusal of job ${job.job_id} could not be committed:`, error),
        );
        return;
      }
      const { active, run } = started;
      // The executor starts only once its start is durable: a crash before that leaves it queued.
      const done = durable.then(
        () => {
          this.emit({ type: 'run_started', job_id: job.job_id, workflow_run_id: run.workflow_run_id, attempt: run.attempt });
          return this.execute(active);
        },
        (error: unknown) => this.startNotDurable(active, error),
      );
      this.active.set(job.job_id, { run: active, done });
    } catch (error) {
      this.refuseBroken(job, error);
    }
  }

  private latestEarlierRun(jobId: string, current: WorkflowRun): WorkflowRun | undefined {
    return this.store.listRuns(jobId).filter((run) => run.attempt < current.attempt).at(-1);
  }

  /** The commit of a run's start failed (e.g. disk full): nothing ran; the job stays queued, skipped here. */
  private startNotDurable(active: ActiveRun, error: unknown): void {
    console.error(`workflow run ${active.runId} could not be started durably:`, error);
    this.active.delete(active.jobId);
    this.skipped.add(active.jobId);
    this.schedulePump();
    if (this.isIdle()) this.resolveIdle();
  }

  private async execute(active: ActiveRun): Promise<void> {
    let status: RunStatus | 'left_running';
    try {
      status = await active.execute();
    } catch (error) {
      // The store refused the run's own bookkeeping (e.g. the DB closed under us): say so, keep going.
      console.error(`workflow run ${active.runId} could not be recorded:`, error);
      status = 'left_running';
    }
    this.active.delete(active.jobId);
    if (active.endWritten) this.finishing -= 1;
    else this.emit({ type: 'run_finished', job_id: active.jobId, workflow_run_id: active.runId, status });
    this.schedulePump();
    if (this.isIdle()) this.resolveIdle();
  }

  /** A job that broke planning or startRun is failed with the error, or skipped if even that fails. */
  private refuseBroken(job: AiJob, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    try {
      if (isHskError(error) && error.code === ERROR_CODES.illegalTransition) return;
      this.store.transitionJob(job.job_id, 'failed', 'engine', 'engine_error', { error_message: message });
      this.emit({ type: 'job_refused', job_id: job.job_id, reason: 'engine_error' });
    } catch {
      this.skipped.add(job.job_id);
    }
  }

  private runEnvironment(jobId: string) {
    const options = this.options;
    return {
      store: this.store,
      dataDir: options.dataDir,
      documentsDir: options.documentsDir ?? path.join(options.dataDir, 'documents'),
      modelRuntime: options.modelRuntime,
      gate: this.gate,
      heartbeatMs: options.heartbeatMs ?? 5_000,
      clock: this.clock,
      timers: options.timers ?? realTimers,
      timeoutFor: (node: PlannedNode) => options.timeouts?.[node.kind] ?? node.prepared.timeoutMs,
      onFinishWritten: (runId: string, status: RunStatus, durable: Promise<void>) =>
        this.finishWritten(jobId, runId, status, durable),
      onHeartbeat: (runId: string, atMs: number) =>
        this.emit({ type: 'heartbeat', job_id: jobId, workflow_run_id: runId, at_ms: atMs }),
    };
  }
}

/** What the channel handlers need from the workflow engine. */
export interface JobRunner {
  start(): void;
  wake(): void;
  cancel(jobId: string, reason: string): Promise<AiJob>;
  stop(): Promise<void>;
}

export interface CreateEngineOptions {
  dataDir: string;
  /** Built once by the composition root: the runtime the user chose (never a fallback), or none. */
  modelRuntime: ModelRuntime | null;
  concurrency?: number;
  heartbeatMs?: number;
  documentsDir?: string;
  timeouts?: Partial<Record<JobKind, number>>;
  environment?: () => BundleEnvironment;
}

/** What the composition root calls: the engine with the runtime the user chose (never a fallback). */
export function createEngine(store: EngineStore, options: CreateEngineOptions): WorkflowEngine {
  return new WorkflowEngine({
    store,
    dataDir: options.dataDir,
    documentsDir: options.documentsDir,
    concurrency: options.concurrency,
    heartbeatMs: options.heartbeatMs,
    timeouts: options.timeouts,
    modelRuntime: options.modelRuntime,
    environment: options.environment,
  });
}
