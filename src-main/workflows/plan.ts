/**
 * Before a run starts: does this build know the job's task schema and protocol versions, is there
 * an executor for the kind (and each workflow step), do the inputs parse, and has a job that starts
 * processes got a consent that holds. A refusal fails the job without a run; a missing consent holds
 * it in awaiting_user. Either way nothing executes. Capabilities are checked before each node.
 */
import type { ExecutionMode, JobKind } from '../../src-shared/enums';
import type { AiJob, JsonValue } from '../../src-shared/job';
import { CURRENT_TASK_SCHEMA_VERSION, checkProtocol, isKnownTaskSchemaVersion } from '../../src-shared/protocols';
import type { TransitionCause } from '../../src-shared/transitions';
import { consentState } from '../capabilities/consent';
import { ExecutorFailure, type ExecutorRegistry, type PreparedNode } from '../executors/types';

export interface PlannedNode {
  node_id: string;
  kind: JobKind;
  inputs: JsonValue | null;
  prepared: PreparedNode;
  /** The model runtime or executor that runs this node. */
  runtimeId: string;
}

export type RunPlan =
  | { ok: true; mode: ExecutionMode; nodes: PlannedNode[]; runtimeId: string }
  | { ok: false; reason: string; message: string; cause: TransitionCause }
  | { ok: false; hold: 'consent_required' | 'consent_expired'; message: string };

type Refusal = Extract<RunPlan, { cause: TransitionCause }>;

/** S21: a job this build cannot interpret is kept as read-only provenance; running it fails, naming the version. */
function unknownVersion(job: AiJob): Refusal | null {
  if (!isKnownTaskSchemaVersion(job.task_schema_version)) {
    return {
      ok: false,
      reason: 'unknown_task_schema_version',
      message: `task_schema_version ${job.task_schema_version} is unknown to this build (it runs ${CURRENT_TASK_SCHEMA_VERSION}); the job is kept as read-only provenance and cannot be re-run here`,
      cause: 'engine',
    };
  }
  const protocol = checkProtocol(job.job_kind, job.protocol_id);
  if (protocol.ok) return null;
  return { ok: false, reason: protocol.reason, message: `${protocol.message}; the job is kept as read-only provenance and cannot be re-run here`, cause: 'engine' };
}

function planNodes(job: AiJob, executors: ExecutorRegistry): Refusal | PlannedNode[] {
  const entry = executors[job.job_kind];
  if (entry.type === 'unavailable') return { ok: false, reason: entry.status_reason, message: entry.message, cause: 'engine' };
  if (entry.type === 'node') {
    return [{ node_id: job.job_kind, kind: job.job_kind, inputs: job.job_inputs, prepared: entry.prepare(job.job_inputs), runtimeId: entry.runtimeId }];
  }
  const nodes: PlannedNode[] = [];
  for (const [index, step] of entry.parseSteps(job.job_inputs).entries()) {
    const stepEntry = executors[step.kind];
    const label = `step ${index + 1} (${step.kind})`;
    if (stepEntry.type === 'unavailable') {
      return { ok: false, reason: stepEntry.status_reason, message: `${label}: ${stepEntry.message}`, cause: 'engine' };
    }
    if (stepEntry.type !== 'node') return { ok: false, reason: 'invalid_inputs', message: `${label}: workflows do not nest`, cause: 'engine' };
    try {
      nodes.push({ node_id: `step-${index + 1}-${step.kind}`, kind: step.kind, inputs: step.inputs, prepared: stepEntry.prepare(step.inputs), runtimeId: stepEntry.runtimeId });
    } catch (error) {
      if (error instanceof ExecutorFailure) throw new ExecutorFailure(error.reason, `${label}: ${error.message}`);
      throw error;
    }
  }
  return nodes;
}

export function planRun(job: AiJob, executors: ExecutorRegistry, now: number): RunPlan {
  const unknown = unknownVersion(job);
  if (unknown) return unknown;
  let nodes: PlannedNode[] | Refusal;
  try {
    nodes = planNodes(job, executors);
  } catch (error) {
    if (error instanceof ExecutorFailure) return { ok: false, reason: error.reason, message: error.message, cause: 'engine' };
    throw error;
  }
  if (!Array.isArray(nodes)) return nodes;
  const consent = consentState(job, now);
  if (consent === 'missing' || consent === 'expired') {
    return {
      ok: false,
      hold: consent === 'missing' ? 'consent_required' : 'consent_expired',
      message: consent === 'missing'
        ? 'this job starts processes; it waits for the operator to consent (jobs.accept) after seeing its argv'
        : 'the consent given for this job expired before it started; it waits for a new one',
    };
  }
  const runtimeId = [...new Set(nodes.map((node) => node.runtimeId))].join('+') || `executor:${job.job_kind}`;
  return { ok: true, mode: job.execution_mode, nodes, runtimeId };
}
