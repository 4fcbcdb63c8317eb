/**
 * Before a run starts: is there an executor for the kind (and each workflow step), do the inputs
 * parse, does the job's capability profile allow it. A refusal fails the job without a run, so
 * nothing executes (original: "queued -> failed when a capability check fails; no run").
 */
import type { JobKind } from '../../src-shared/enums';
import type { AiJob, JsonValue } from '../../src-shared/job';
import type { TransitionCause } from '../../src-shared/transitions';
import type { CapabilityGate } from '../capabilities/gate';
import { ExecutorFailure, type ExecutorRegistry, type PreparedNode } from '../executors/types';
import type { ExecutionMode } from './outcome';

export interface PlannedNode {
  node_id: string;
  kind: JobKind;
  inputs: JsonValue | null;
  prepared: PreparedNode;
}

export type RunPlan =
  | { ok: true; mode: ExecutionMode; nodes: PlannedNode[] }
  | { ok: false; reason: string; message: string; cause: TransitionCause };

export function planRun(job: AiJob, executors: ExecutorRegistry, gate: CapabilityGate): RunPlan {
  const entry = executors[job.job_kind];
  if (entry.type === 'unavailable') {
    return { ok: false, reason: entry.status_reason, message: entry.message, cause: 'engine' };
  }
  let nodes: PlannedNode[];
  try {
    if (entry.type === 'node') {
      nodes = [{ node_id: job.job_kind, kind: job.job_kind, inputs: job.job_inputs, prepared: entry.prepare(job.job_inputs) }];
    } else {
      nodes = [];
      for (const [index, step] of entry.parseSteps(job.job_inputs).entries()) {
        const stepEntry = executors[step.kind];
        const label = `step ${index + 1} (${step.kind})`;
        if (stepEntry.type === 'unavailable') {
          return { ok: false, reason: stepEntry.status_reason, message: `${label}: ${stepEntry.message}`, cause: 'engine' };
        }
        if (stepEntry.type !== 'node') {
          return { ok: false, reason: 'invalid_inputs', message: `${label}: workflows do not nest`, cause: 'engine' };
        }
        try {
          nodes.push({ node_id: `step-${index + 1}-${step.kind}`, kind: step.kind, inputs: step.inputs, prepared: stepEntry.prepare(step.inputs) });
        } catch (error) {
          if (error instanceof ExecutorFailure) throw new ExecutorFailure(error.reason, `${label}: ${error.message}`);
          throw error;
        }
      }
    }
  } catch (error) {
    if (error instanceof ExecutorFailure) return { ok: false, reason: error.reason, message: error.message, cause: 'engine' };
    throw error;
  }
  const decision = gate.check(job, nodes.map((node) => node.kind));
  if (!decision.ok) return { ok: false, reason: 'capability_denied', message: decision.message, cause: 'policy' };
  return { ok: true, mode: entry.type === 'sequence' ? 'multi_step' : 'single_step', nodes };
}
