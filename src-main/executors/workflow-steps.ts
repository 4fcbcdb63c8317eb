/**
 * workflow_run: job_inputs `{ steps: [{ kind, inputs }] }`. The engine runs each step as its own
 * node with that kind's executor. Step kinds are parsed to their canonical form here, once.
 */
import { z } from 'zod';
import { parseJobKind } from '../../src-shared/enums';
import type { JsonValue } from '../../src-shared/job';
import { invalidInputs, type ExecutorEntry, type WorkflowStep } from './types';

export const MAX_WORKFLOW_STEPS = 50;

const StepsInputs = z.strictObject({
  steps: z
    .array(z.strictObject({ kind: z.string(), inputs: z.custom<JsonValue>().optional() }))
    .max(MAX_WORKFLOW_STEPS),
});

export const workflowStepsExecutor: ExecutorEntry = {
  type: 'sequence',
  parseSteps(raw) {
    const parsed = StepsInputs.safeParse(raw ?? { steps: [] });
    if (!parsed.success) {
      throw invalidInputs('workflow_run', `expected { steps: [{ kind, inputs }] } with at most ${MAX_WORKFLOW_STEPS} steps`);
    }
    return parsed.data.steps.map((step, index): WorkflowStep => {
      const kind = parseJobKind(step.kind);
      if (!kind.ok) throw invalidInputs('workflow_run', `step ${index + 1}: ${kind.reason}`);
      if (kind.kind === 'workflow_run') throw invalidInputs('workflow_run', `step ${index + 1}: workflows do not nest`);
      return { kind: kind.kind, inputs: step.inputs ?? null };
    });
  },
};
