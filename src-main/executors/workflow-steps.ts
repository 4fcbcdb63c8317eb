/**
 * workflow_run: job_inputs `{ steps: [{ kind, inputs }] }` (src-shared/job-inputs). The engine runs
 * each step as its own node with that kind's executor. Step kinds are canonical after parsing.
 */
import { WorkflowInputsSchema, workflowStepsOf } from '../../src-shared/job-inputs';
import type { JsonValue } from '../../src-shared/job';
import { invalidInputs, type ExecutorEntry, type WorkflowStep } from './types';

export const workflowStepsExecutor: ExecutorEntry = {
  type: 'sequence',
  parseSteps(raw) {
    const parsed = WorkflowInputsSchema.safeParse(raw);
    if (!parsed.success) {
      throw invalidInputs('workflow_run', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    }
    return workflowStepsOf(raw).map((step): WorkflowStep => ({ kind: step.kind, inputs: (step.inputs ?? null) as JsonValue | null }));
  },
};
