import { describe, expect, it } from 'vitest';
import { outcomeOf, type Outcome, type StepResult } from './outcome';

const done = (node_id: string, outputs: StepResult['outputs'] = { ok: node_id }): StepResult => ({
  node_id,
  kind: 'doc_summarize',
  status: 'completed',
  reason: 'completed',
  outputs,
});
const failure: Outcome = { status: 'failed', cause: 'engine', reason: 'exit_code', errorMessage: 'exit 2', outputs: null };
const failed = (node_id: string, outcome: Outcome = failure): StepResult => ({
  node_id,
  kind: 'terminal_exec',
  status: outcome.status,
  reason: outcome.reason,
  outputs: outcome.outputs,
  failure: outcome,
});

describe('outcomeOf', () => {
  it('completes a single step with its own outputs and reason', () => {
    expect(outcomeOf('single_step', [done('a', { text: 'x' })], 1)).toEqual({
      status: 'completed', cause: 'engine', reason: 'completed', errorMessage: null, outputs: { text: 'x' },
    });
  });

  it('passes a single step failure through unchanged', () => {
    expect(outcomeOf('single_step', [failed('a')], 1)).toEqual(failure);
  });

  it('completes a workflow with every step recorded', () => {
    const outcome = outcomeOf('multi_step', [done('a'), done('b')], 2);
    expect(outcome).toMatchObject({ status: 'completed', reason: 'all_steps_completed' });
    expect(outcome.outputs).toEqual({ steps: [
      { node_id: 'a', kind: 'doc_summarize', status: 'completed', reason: 'completed', outputs: { ok: 'a' } },
      { node_id: 'b', kind: 'doc_summarize', status: 'completed', reason: 'completed', outputs: { ok: 'b' } },
    ] });
  });

  it('fails a workflow at a failing step and names it, keeping the steps that ran', () => {
    const outcome = outcomeOf('multi_step', [done('a'), failed('b')], 3);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'step_failed', errorMessage: 'step 2 of 3 (b) failed: exit_code: exit 2' });
    expect((outcome.outputs as { steps: unknown[] }).steps).toHaveLength(2);
  });

  it('keeps timeout as the reason of a workflow whose step timed out', () => {
    const timeout: Outcome = { ...failure, cause: 'policy', reason: 'timeout', errorMessage: 'b exceeded 10 ms' };
    expect(outcomeOf('multi_step', [failed('b', timeout)], 1)).toMatchObject({ reason: 'timeout', cause: 'policy' });
  });

  it('ends a cancelled workflow cancelled, not failed, with the steps so far', () => {
    const cancel: Outcome = { status: 'cancelled', cause: 'operator', reason: 'stop', errorMessage: null, outputs: null };
    expect(outcomeOf('multi_step', [done('a'), failed('b', cancel)], 2)).toMatchObject({ status: 'cancelled', reason: 'stop', outputs: { steps: expect.any(Array) } });
  });

  it('makes the first issue the reason of a run completed with issues', () => {
    const issue = { ...done('b'), status: 'completed_with_issues' as const, reason: 'truncated' };
    expect(outcomeOf('single_step', [issue], 1)).toMatchObject({ status: 'completed_with_issues', reason: 'truncated' });
    expect(outcomeOf('multi_step', [done('a'), issue, { ...issue, node_id: 'c' }], 3)).toMatchObject({
      status: 'completed_with_issues',
      reason: 'b: truncated',
    });
  });
});
