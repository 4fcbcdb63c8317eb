/**
 * What an executor is: one module per job kind, registered by kind. The engine owns the run, the
 * node rows and the abort signal; an executor does the work and reports it.
 */
import type { JobKind } from '../../src-shared/enums';
import type { CapabilityCheckpoint, EventDraft, EventType } from '../../src-shared/events';
import type { FileReadFacts } from '../capabilities/policy';
import type { AiJob, JobMetrics, JsonValue } from '../../src-shared/job';
import type { ModelRuntime } from '../model-runtime/runtime';
import type { EngineStore } from '../workflows/store-port';
import type { StatusReason } from '../../src-shared/reasons';

/** Why the engine aborted a run; executors read it from `signal.reason`. */
export class RunAborted extends Error {
  constructor(readonly why: 'cancel' | 'timeout' | 'shutdown' | 'poisoned', message: string) {
    super(message);
    this.name = 'RunAborted';
  }
}

export function abortWhy(signal: AbortSignal): RunAborted['why'] | null {
  return signal.aborted && signal.reason instanceof RunAborted ? signal.reason.why : null;
}

/** A failure with a machine-readable reason (becomes the node's / job's status_reason). */
export class ExecutorFailure extends Error {
  /** Whatever the executor learnt before failing (exit code, sizes), kept as the node's output. */
  constructor(readonly reason: StatusReason, message: string, readonly outputs: JsonValue | null = null) {
    super(message);
    this.name = 'ExecutorFailure';
  }
}

/** The capability policy refused a side-effecting call; the run fails with cause `policy`. */
export class CapabilityDenied extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapabilityDenied';
  }
}

/** A side-effecting call an executor is about to make, for the capability check before it. */
export interface SideEffect {
  capability: string;
  checkpoint: Extract<CapabilityCheckpoint, 'process_start' | 'file_read' | 'model_call'>;
  file?: FileReadFacts;
}

export interface ExecutorResult {
  /** completed_with_issues: the output is usable only as a preview (e.g. truncated model output). */
  status: 'completed' | 'completed_with_issues';
  reason: StatusReason;
  outputs: JsonValue;
}

export interface ExecutorContext {
  readonly job: AiJob;
  readonly runId: string;
  /** 1 for the first run of the job, 2 for its first resume or retry, ... */
  readonly attempt: number;
  readonly nodeExecutionId: string;
  readonly signal: AbortSignal;
  readonly dataDir: string;
  readonly documentsDir: string;
  readonly modelRuntime: ModelRuntime | null;
  readonly store: Pick<
    EngineStore,
    'getJob' | 'listJobs' | 'listRuns' | 'listEvents' | 'getProblem' | 'problemInstances' | 'diagnosticsOfJob' | 'diagnosticsInWindow'
  >;
  /** Records an event correlated with this job and run (trace_id, job_id, workflow_run_id filled in). */
  recordEvent<T extends EventType>(draft: Omit<EventDraft<T>, 'trace_id' | 'job_id' | 'workflow_run_id'>): void;
  /** Adds to the job's metrics and persists the running totals at once. */
  addMetrics(delta: Partial<JobMetrics>): void;
  /**
   * Records a process group this node started; resolves with its record id once the record is
   * durable. A command may run only after that, so a crash never leaves an unrecorded orphan.
   */
  recordProcess(process: StartedProcess): Promise<number>;
  /** Marks a recorded process group as ended (why: exited, killed, ...). */
  endProcess(processId: number, reason: string): void;
  /** Scans model-bound text; throws PromptInjectionDetected on a hit (the engine poisons the job). */
  guardModelInput(text: string, source: string): void;
  /** Decides (and records) a capability before a side effect; throws CapabilityDenied on deny. */
  authorize(effect: SideEffect): void;
}

/** A process group as the kernel knows it: leader pid, group id, start time and boot (see executors/processes). */
export interface StartedProcess {
  pid: number;
  pgid: number;
  startTicks: number | null;
  bootId: string | null;
  command: string;
}

/** A node ready to run: inputs already parsed, timeout known. */
export interface PreparedNode {
  timeoutMs: number;
  run(ctx: ExecutorContext): Promise<ExecutorResult>;
}

export interface WorkflowStep {
  kind: JobKind;
  inputs: JsonValue | null;
}

export type ExecutorEntry =
  | {
      type: 'node';
      /** The model runtime (e.g. `mock:demo`, `ollama:llama3.2`) or executor (`executor:terminal_exec`) that runs it. */
      runtimeId: string;
      /** Parses the node's inputs; throws ExecutorFailure('invalid_inputs', ...) when they do not fit. */
      prepare(inputs: JsonValue | null): PreparedNode;
    }
  | {
      /** workflow_run: the engine runs each step as its own node with the step kind's executor. */
      type: 'sequence';
      parseSteps(inputs: JsonValue | null): WorkflowStep[];
    }
  | {
      type: 'unavailable';
      status_reason: 'no_executor' | 'model_runtime_unavailable';
      /** Names the missing component and how to get it. */
      message: string;
    };

export type ExecutorRegistry = Record<JobKind, ExecutorEntry>;

/** Shared input parsing: a zod-style parse that turns problems into one readable failure. */
export function invalidInputs(kind: string, problem: string): ExecutorFailure {
  return new ExecutorFailure('invalid_inputs', `${kind} job_inputs: ${problem}`);
}
