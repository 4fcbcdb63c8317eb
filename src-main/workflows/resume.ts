/**
 * Resume continues, it does not repeat (§2.6.4: continue after the last node that succeeded): a
 * resumed multi-step run reuses the recorded outputs of the steps its latest earlier attempt
 * completed, and runs from the first step that did not complete. A single-step job has nothing to
 * reuse and runs again whole, as a new attempt.
 */
import type { NodeExecution, WorkflowRun } from '../../src-shared/job';
import type { ExecutionMode } from './outcome';
import type { PlannedNode } from './plan';

/** A step of this attempt that is not run: `from` is the completed node whose output it keeps. */
export interface ReusedStep {
  from: NodeExecution;
  fromAttempt: number;
}

/**
 * The longest prefix of the plan that `earlier` completed (the same node id at the same position,
 * status completed); reused steps count, so a second resume reuses them again.
 */
export function reusableSteps(mode: ExecutionMode, nodes: readonly PlannedNode[], earlier: WorkflowRun | undefined): ReusedStep[] {
  if (mode !== 'multi_step' || !earlier) return [];
  const reused: ReusedStep[] = [];
  for (const [index, node] of nodes.entries()) {
    const done = earlier.nodes.find((execution) => execution.sequence === index && execution.node_id === node.node_id);
    if (done?.status !== 'completed') break;
    reused.push({ from: done, fromAttempt: earlier.attempt });
  }
  return reused;
}
