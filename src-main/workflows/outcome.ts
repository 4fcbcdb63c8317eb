/**
 * How a run ends, decided from its steps alone: a pure function of what each node did, so every
 * rule (a failing step fails a workflow and names the step; the first issue is the run's reason)
 * is tested without an engine.
 */
import type { JsonValue } from '../../src-shared/job';
import type { ExecutionMode, RunEndStatus } from '../../src-shared/enums';
import type { TransitionCause } from '../../src-shared/transitions';

export type { ExecutionMode };

export interface Outcome {
  status: RunEndStatus;
  cause: TransitionCause;
  reason: string;
  errorMessage: string | null;
  outputs: JsonValue | null;
  /** The work is done but a validator needs a person (see workflows/validators.ts). */
  holdFor?: 'awaiting_validation' | 'awaiting_user';
}

/** What one node did: its result, or the outcome its failure (cancel, timeout, error, poisoning) gives the run. */
export interface StepResult {
  node_id: string;
  kind: string;
  status: 'completed' | 'completed_with_issues' | RunEndStatus;
  reason: string;
  outputs: JsonValue | null;
  failure?: Outcome;
}

const KEPT_STEP_REASONS: ReadonlySet<string> = new Set(['timeout', 'capability_denied']);

function stepRecord(step: StepResult): JsonValue {
  return { node_id: step.node_id, kind: step.kind, status: step.status, reason: step.reason, outputs: step.outputs };
}

/** The run's outcome from the steps that ran (the last one failed, or all completed). */
export function outcomeOf(mode: ExecutionMode, steps: readonly StepResult[], plannedSteps: number): Outcome {
  const multi = mode === 'multi_step';
  const records = steps.map(stepRecord);
  const failedIndex = steps.findIndex((step) => step.failure);
  const failed = steps[failedIndex];
  if (failed?.failure) {
    const failure = failed.failure;
    if (!multi) return failure;
    if (failure.status !== 'failed') return { ...failure, outputs: { steps: records } };
    return {
      ...failure,
      // A timeout or a policy denial says so for the whole workflow; other failures name the step.
      reason: KEPT_STEP_REASONS.has(failure.reason) ? failure.reason : 'step_failed',
      errorMessage: `step ${failedIndex + 1} of ${plannedSteps} (${failed.node_id}) failed: ${failure.reason}: ${failure.errorMessage ?? ''}`.trim(),
      outputs: { steps: records },
    };
  }
  const withIssues = steps.find((step) => step.status === 'completed_with_issues');
  const issue = withIssues ? (multi ? `${withIssues.node_id}: ${withIssues.reason}` : withIssues.reason) : null;
  return {
    status: issue ? 'completed_with_issues' : 'completed',
    cause: 'engine',
    reason: issue ?? (multi ? 'all_steps_completed' : 'completed'),
    errorMessage: null,
    outputs: multi ? { steps: records } : (steps.at(-1)?.outputs ?? null),
  };
}
