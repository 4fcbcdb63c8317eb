/**
 * One attempt of one job: runs its planned nodes in order, heartbeats the run in place, accrues
 * metrics, and ends the run with the outcome the transition table allows. Shutdown leaves the run
 * `running` on purpose: only startup recovery may decide it is stalled (HSK-WF-003).
 */
import type { JobMetrics, JsonValue, AiJob, WorkflowRun } from '../../src-shared/job';
import { METRIC_KEYS, reusedStepReason } from '../../src-shared/job';
import type { ExecutionMode, NodeStatus, RunStatus } from '../../src-shared/enums';
import type { CapabilityGate, CapabilitySubject } from '../capabilities/gate';
import { requiredCapabilities } from '../capabilities/profiles';
import { CapabilityDenied, ExecutorFailure, RunAborted, type ExecutorContext, type ExecutorResult, type SideEffect } from '../executors/types';
import type { ModelRuntime } from '../model-runtime/runtime';
import { PromptInjectionDetected, scanForInjection } from '../security/prompt-injection';
import { outcomeOf, type Outcome, type StepResult } from './outcome';
import type { PlannedNode } from './plan';
import type { ReusedStep } from './resume';
import type { EngineStore } from './store-port';
import { MAX_INLINE_OUTPUT_BYTES, runValidators } from './validators';

export interface TimerApi {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimerApi = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RunEnvironment {
  store: EngineStore;
  dataDir: string;
  documentsDir: string;
  modelRuntime: ModelRuntime | null;
  /** Records every capability decision before a node and before each side effect. */
  gate: CapabilityGate;
  heartbeatMs: number;
  clock: () => number;
  timers: TimerApi;
  /** Overrides an executor's own timeout for a kind. */
  timeoutFor(node: PlannedNode): number;
  onHeartbeat(runId: string, atMs: number): void;
  /** The run's end is written (its commit is pending): the engine may reuse the slot. */
  onFinishWritten(runId: string, status: RunStatus, durable: Promise<void>): void;
}

function boundOutputs(value: JsonValue | null): JsonValue | null {
  if (value === null) return null;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  return bytes <= MAX_INLINE_OUTPUT_BYTES
    ? value
    : { omitted: true, bytes, note: 'outputs too large to inline; each node execution holds its own output' };
}

export class ActiveRun {
  readonly controller = new AbortController();
  readonly jobId: string;
  readonly runId: string;
  /** The run's end is written; its commit may still be pending. */
  endWritten = false;
  /** Set when the outcome is already committed (poisoning commits at once). */
  private finalized = false;
  private cancelReason: string | null = null;
  private readonly metrics: JobMetrics;
  private readonly startedAt: number;
  private readonly baseDurationMs: number;
  private currentNode: { id: string; finished: boolean } | null = null;
  /** A finished node's record, written with the next durable step (next node start or run end). */
  private pendingNodeFinish: { id: string; status: NodeStatus; reason: string; outputs: JsonValue | null; error: string | null } | null = null;
  private metricsDirty = false;
  private openedIndex = -1;

  constructor(
    private readonly env: RunEnvironment,
    private readonly job: AiJob,
    readonly run: WorkflowRun,
    private readonly nodes: PlannedNode[],
    private readonly mode: ExecutionMode,
    /** The plan's first steps, completed by an earlier attempt: recorded as reused, not run. */
    private readonly reused: readonly ReusedStep[] = [],
  ) {
    this.jobId = job.job_id;
    this.runId = run.workflow_run_id;
    this.metrics = { ...job.metrics };
    this.baseDurationMs = job.metrics.duration_ms;
    this.startedAt = env.clock();
  }

  cancel(reason: string): void {
    if (this.controller.signal.aborted) return;
    this.cancelReason = reason;
    this.controller.abort(new RunAborted('cancel', reason));
  }

  shutdown(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new RunAborted('shutdown', 'engine stopping'));
  }

  /** Runs to the end; resolves with the final run status, or `left_running` after a shutdown. */
  async execute(): Promise<RunStatus | 'left_running'> {
    const heartbeat = this.env.timers.setInterval(() => this.beat(), this.env.heartbeatMs);
    let outcome: Outcome | 'left_running';
    try {
      outcome = await this.runNodes();
    } finally {
      this.env.timers.clearInterval(heartbeat);
    }
    if (this.finalized) return 'poisoned';
    if (outcome === 'left_running') {
      this.env.store.transaction(() => this.flushPending());
      return 'left_running';
    }
    await this.writeEnd(this.validated(outcome));
    return outcome.status;
  }

  /** The validator stage: only work that finished is validated; a deny fails it, a person may be needed. */
  private validated(outcome: Outcome): Outcome {
    if (outcome.status !== 'completed' && outcome.status !== 'completed_with_issues') return outcome;
    const report = runValidators(this.job, outcome.outputs);
    this.addMetrics({ validators_run_count: report.results.length });
    if (report.verdict === 'deny') {
      const denied = report.results.filter((result) => result.result === 'deny');
      return {
        status: 'failed',
        cause: 'engine',
        reason: 'validation_failed',
        errorMessage: denied.map((result) => `${result.validator_id}: ${result.message}`).join('; '),
        outputs: report.outputs,
      };
    }
    if (!report.hold) return { ...outcome, outputs: report.outputs };
    const waitingFor = report.results.find((result) => result.needs === report.hold);
    return { ...outcome, outputs: report.outputs, holdFor: report.hold, reason: waitingFor ? `${waitingFor.validator_id}_needs_person` : outcome.reason };
  }

  private beat(): void {
    if (this.finalized) return;
    const at = Math.round(this.env.clock());
    try {
      this.env.store.groupTransaction(() => {
        this.env.store.heartbeat(this.runId, at);
        this.flushMetrics();
      });
    } catch (error) {
      // A timer callback must not crash the process; a missed beat only makes recovery likelier.
      console.error(`heartbeat for workflow run ${this.runId} failed:`, error);
      return;
    }
    this.env.onHeartbeat(this.runId, at);
  }

  /**
   * Commits grouping: a node's end is written with the next node's start or the run's end, and
   * metrics with the next event or heartbeat. Each step stays durable and in order, with a third
   * of the commits (fsyncs) a write-per-step engine would need.
   */
  private flushPending(): void {
    const node = this.pendingNodeFinish;
    if (node) {
      this.pendingNodeFinish = null;
      this.env.store.finishNode(node.id, { status: node.status, reason: node.reason, output_payload: boundOutputs(node.outputs), error_message: node.error });
    }
    this.flushMetrics();
  }

  private flushMetrics(): void {
    if (!this.metricsDirty) return;
    this.metricsDirty = false;
    this.env.store.updateMetrics(this.jobId, this.metrics);
  }

  /**
   * Writes the node's and the run's end as one unit of a group commit and returns the promise of its
   * durability. Synchronous up to that point, so a failing write throws to the caller (inside the
   * poisoning transaction, it rolls the violation back with it).
   */
  private writeEnd(outcome: Outcome): Promise<void> {
    this.finalized = true;
    this.metricsDirty = false;
    const { durable } = this.env.store.groupTransaction(() => {
      this.flushPending();
      this.finishRunNow(outcome);
    });
    this.endWritten = true;
    this.env.onFinishWritten(this.runId, outcome.status, durable);
    return durable;
  }

  private finishRunNow(outcome: Outcome): void {
    this.env.store.finishRun(this.runId, {
      status: outcome.status,
      reason: outcome.reason,
      cause: outcome.cause,
      holdFor: outcome.holdFor,
      patch: {
        error_message: outcome.errorMessage,
        job_outputs: boundOutputs(outcome.outputs),
        metrics: { ...this.metrics, duration_ms: this.baseDurationMs + Math.max(0, Math.round(this.env.clock() - this.startedAt)) },
      },
    });
  }

  private async runNodes(): Promise<Outcome | 'left_running'> {
    const steps: StepResult[] = [];
    for (const [index, node] of this.nodes.entries()) {
      const reused = this.reused[index];
      if (reused) {
        const reason = reusedStepReason(reused.fromAttempt);
        steps.push({ node_id: node.node_id, kind: node.kind, status: 'completed', reason, outputs: reused.from.output_payload });
        continue;
      }
      const result = await this.runNode(node, index);
      const step = { node_id: node.node_id, kind: node.kind };
      if (!('failed' in result)) {
        steps.push({ ...step, status: result.status, reason: result.reason, outputs: result.outputs });
        continue;
      }
      if (result.failed === 'left_running') return 'left_running';
      const failure = result.failed;
      steps.push({ ...step, status: failure.status, reason: failure.reason, outputs: failure.outputs, failure });
      break;
    }
    return outcomeOf(this.mode, steps, this.nodes.length);
  }

  /**
   * The run's first writes, in the caller's group commit: the reused steps' records, then the
   * checkpoint of the first step that runs.
   */
  openFirst(): Promise<void> {
    for (const [index, step] of this.reused.entries()) {
      const node = this.nodes[index]!;
      this.env.store.reuseNode(this.runId, { node_id: node.node_id, node_type: node.kind, sequence: index, input_payload: node.inputs }, step.from, step.fromAttempt);
    }
    return this.openNode(this.reused.length);
  }

  /**
   * Writes the node's start (the checkpoint before it runs) with the previous node's end, as a
   * unit of a group commit; the returned promise resolves once it is durable.
   */
  openNode(index: number): Promise<void> {
    const node = this.nodes[index];
    if (!node) return Promise.resolve();
    const { durable } = this.env.store.groupTransaction(() => {
      this.flushPending();
      const execution = this.env.store.startNode(this.runId, {
        node_id: node.node_id,
        node_type: node.kind,
        sequence: index,
        input_payload: node.inputs,
      });
      this.currentNode = { id: execution.node_execution_id, finished: false };
      this.openedIndex = index;
    });
    return durable;
  }

  private async runNode(node: PlannedNode, index: number): Promise<ExecutorResult | { failed: Outcome | 'left_running' }> {
    if (this.openedIndex !== index) await this.openNode(index);
    const nodeExecutionId = this.currentNode!.id;
    const denied = this.checkNode(node);
    if (denied) return { failed: this.failNode(denied) };
    const timeoutMs = this.env.timeoutFor(node);
    const timer = this.env.timers.setTimeout(() => {
      if (!this.controller.signal.aborted) {
        this.controller.abort(new RunAborted('timeout', `${node.node_id} exceeded its ${timeoutMs} ms timeout`));
      }
    }, timeoutMs);
    try {
      const result = await node.prepared.run(this.context(nodeExecutionId));
      // A cancel that arrives as the work ends still wins: nothing has been committed yet.
      if (this.cancelReason !== null) throw this.controller.signal.reason;
      this.finishNode('completed', result.reason, result.outputs, null);
      return result;
    } catch (error) {
      return { failed: this.failNode(error) };
    } finally {
      this.env.timers.clearTimeout(timer);
    }
  }

  private subject(): CapabilitySubject {
    const job = this.job;
    return {
      job_id: job.job_id,
      trace_id: job.trace_id,
      job_kind: job.job_kind,
      protocol_id: job.protocol_id,
      access_mode: job.access_mode,
      capability_profile_id: job.capability_profile_id,
    };
  }

  /** The check before each node: every capability its kind needs, recorded; the first deny stops it. */
  private checkNode(node: PlannedNode): CapabilityDenied | null {
    const needed = requiredCapabilities(node.kind, this.job.protocol_id, this.job.access_mode);
    const { result: decision } = this.env.store.groupTransaction(() => this.env.gate.checkAll(this.subject(), needed, 'node', node.kind));
    return decision.ok ? null : new CapabilityDenied(decision.message);
  }

  /**
   * The check before a side effect (process start, file read, model call). A process start waits
   * for its decision to be durable (a plain transaction): no command runs that the log could lose.
   */
  private authorize(effect: SideEffect): void {
    const check = () => this.env.gate.check(this.subject(), { capability: effect.capability, checkpoint: effect.checkpoint, file: effect.file });
    const decision = effect.checkpoint === 'process_start' ? this.env.store.transaction(check) : this.env.store.groupTransaction(check).result;
    if (!decision.ok) throw new CapabilityDenied(decision.message);
  }

  private finishNode(status: NodeStatus, reason: string, outputs: JsonValue | null, errorMessage: string | null): void {
    if (!this.currentNode || this.currentNode.finished) return;
    this.currentNode.finished = true;
    this.pendingNodeFinish = { id: this.currentNode.id, status, reason, outputs, error: errorMessage };
  }

  private failNode(error: unknown): Outcome | 'left_running' {
    const abort = error instanceof RunAborted ? error : this.controller.signal.aborted ? (this.controller.signal.reason as unknown) : null;
    if (abort instanceof RunAborted) {
      switch (abort.why) {
        case 'shutdown':
          return 'left_running';
        case 'poisoned':
          return { status: 'poisoned', cause: 'security', reason: 'prompt_injection_detected', errorMessage: abort.message, outputs: null };
        case 'cancel': {
          const outputs = error instanceof ExecutorFailure ? error.outputs : null;
          this.finishNode('cancelled', 'cancelled', outputs, abort.message);
          return { status: 'cancelled', cause: 'operator', reason: abort.message, errorMessage: null, outputs };
        }
        case 'timeout':
          this.finishNode('failed', 'timeout', null, abort.message);
          return { status: 'failed', cause: 'policy', reason: 'timeout', errorMessage: abort.message, outputs: null };
      }
    }
    if (error instanceof CapabilityDenied) {
      this.finishNode('failed', 'capability_denied', null, error.message);
      return { status: 'failed', cause: 'policy', reason: 'capability_denied', errorMessage: error.message, outputs: null };
    }
    if (error instanceof ExecutorFailure) {
      this.finishNode('failed', error.reason, error.outputs, error.message);
      return { status: 'failed', cause: 'engine', reason: error.reason, errorMessage: error.message, outputs: error.outputs };
    }
    const message = error instanceof Error ? error.message : String(error);
    this.finishNode('failed', 'executor_error', null, message);
    return { status: 'failed', cause: 'engine', reason: 'executor_error', errorMessage: message, outputs: null };
  }

  private context(nodeExecutionId: string): ExecutorContext {
    const env = this.env;
    return {
      job: this.job,
      runId: this.runId,
      attempt: this.run.attempt,
      nodeExecutionId,
      signal: this.controller.signal,
      dataDir: env.dataDir,
      documentsDir: env.documentsDir,
      modelRuntime: env.modelRuntime,
      store: env.store,
      recordEvent: (draft) => {
        env.store.groupTransaction(() => {
          env.store.recordEvent({ ...draft, trace_id: this.job.trace_id, job_id: this.jobId, workflow_run_id: this.runId });
          this.flushMetrics();
        });
      },
      recordProcess: (started) => {
        const { result, durable } = env.store.groupTransaction(() =>
          env.store.recordProcess({ ...started, workflowRunId: this.runId, nodeExecutionId }),
        );
        return durable.then(() => result);
      },
      endProcess: (processId, reason) => {
        env.store.groupTransaction(() => env.store.endProcess(processId, reason));
      },
      addMetrics: (delta) => this.addMetrics(delta),
      guardModelInput: (text, source) => this.guard(text, source),
      authorize: (effect) => this.authorize(effect),
    };
  }

  private addMetrics(delta: Partial<JobMetrics>): void {
    for (const key of METRIC_KEYS) {
      const value = delta[key];
      if (value !== undefined) this.metrics[key] += value;
    }
    // Persisted with the next event, heartbeat or the run's end (see flushPending).
    this.metricsDirty = true;
  }

  /**
   * Atomic poisoning (HSK-ACE-VAL-101): on a hit, record the violation, end the node and the run
   * as poisoned at once, then abort whatever else is active. Nothing further runs for this job.
   */
  private guard(text: string, source: string): void {
    this.addMetrics({ validators_run_count: 1 });
    const scan = scanForInjection(text);
    if (!scan.hit) return;
    const detected = new PromptInjectionDetected(scan, source);
    // The violation, the node's and the run's end, and the job's move to poisoned: one commit.
    this.env.store.transaction(() => this.poison(detected, scan));
    this.controller.abort(new RunAborted('poisoned', detected.message));
    throw detected;
  }

  private poison(detected: PromptInjectionDetected, scan: Extract<ReturnType<typeof scanForInjection>, { hit: true }>): void {
    this.env.store.recordEvent({
      type: 'security_violation',
      actor: 'system',
      actor_id: 'prompt_injection_guard',
      trace_id: this.job.trace_id,
      job_id: this.jobId,
      workflow_run_id: this.runId,
      payload: {
        violation_type: 'prompt_injection',
        description: detected.message,
        trigger: scan.pattern,
        offset: scan.offset,
        action_taken: 'poisoned',
      },
    });
    this.finishNode('poisoned', 'prompt_injection_detected', null, detected.message);
    void this.writeEnd({
      status: 'poisoned',
      cause: 'security',
      reason: 'prompt_injection_detected',
      errorMessage: detected.message,
      outputs: null,
    });
  }
}
