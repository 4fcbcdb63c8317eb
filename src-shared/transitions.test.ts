import { describe, expect, it } from 'vitest';
import { JOB_STATES, type JobState } from './enums';
import {
  TERMINAL_JOB_STATES,
  ACTOR_OF_CAUSE,
  JOB_TRANSITIONS,
  TRANSITION_CAUSES,
  checkTransition,
  operatorMay,
  type TransitionCause,
} from './transitions';

interface Triple {
  from: JobState;
  to: JobState;
  cause: TransitionCause;
}

const ALL_TRIPLES: Triple[] = JOB_STATES.flatMap((from) =>
  JOB_STATES.flatMap((to) => TRANSITION_CAUSES.map((cause) => ({ from, to, cause }))),
);

function tableAllows({ from, to, cause }: Triple): boolean {
  const edges: Partial<Record<JobState, readonly TransitionCause[]>> = JOB_TRANSITIONS[from];
  return edges[to]?.includes(cause) ?? false;
}

const legal = (triple: Triple) => checkTransition(triple.from, triple.to, triple.cause).ok;

describe('checkTransition', () => {
  it('decides every (from, to, cause) triple exactly as the table says', () => {
    expect(ALL_TRIPLES).toHaveLength(10 * 10 * 5);
    const mismatches = ALL_TRIPLES.filter((triple) => legal(triple) !== tableAllows(triple));
    expect(mismatches).toEqual([]);
  });

  it('lets only recovery set stalled, and only from running', () => {
    const intoStalled = ALL_TRIPLES.filter((triple) => triple.to === 'stalled' && legal(triple));
    expect(intoStalled).toEqual([{ from: 'running', to: 'stalled', cause: 'recovery' }]);
  });

  it('gives recovery no other power than running -> stalled', () => {
    const byRecovery = ALL_TRIPLES.filter((triple) => triple.cause === 'recovery' && legal(triple));
    expect(byRecovery).toEqual([{ from: 'running', to: 'stalled', cause: 'recovery' }]);
  });

  it.each(TERMINAL_JOB_STATES)('lets nothing leave the terminal state %s', (from) => {
    const exits = ALL_TRIPLES.filter((triple) => triple.from === from && legal(triple));
    expect(exits).toEqual([]);
    expect(checkTransition(from, 'queued', 'operator')).toMatchObject({ ok: false, reason: expect.stringContaining('terminal') });
  });

  it('never moves a poisoned job anywhere, not even by an operator or policy', () => {
    expect(ALL_TRIPLES.filter((triple) => triple.from === 'poisoned' && legal(triple))).toEqual([]);
  });

  it('lets only operator or policy move a job out of stalled (security may still poison it)', () => {
    const exits = ALL_TRIPLES.filter((triple) => triple.from === 'stalled' && legal(triple));
    const causes = new Set(exits.map((triple) => triple.cause));
    expect(causes).toEqual(new Set(['operator', 'policy', 'security']));
    expect(exits.filter((triple) => triple.cause === 'security').map((triple) => triple.to)).toEqual(['poisoned']);
    expect(exits.some((triple) => triple.cause === 'engine' || triple.cause === 'recovery')).toBe(false);
  });

  it('never lets a state transition to itself', () => {
    expect(ALL_TRIPLES.filter((triple) => triple.from === triple.to && legal(triple))).toEqual([]);
  });

  it('explains a refusal by naming the causes that may do it', () => {
    expect(checkTransition('running', 'stalled', 'engine')).toEqual({
      ok: false,
      reason: 'running -> stalled may be done by recovery, not by engine',
    });
  });

  it('maps operator to actor human and every other cause to system', () => {
    expect(ACTOR_OF_CAUSE).toEqual({
      engine: 'system',
      recovery: 'system',
      operator: 'human',
      policy: 'system',
      security: 'system',
    });
  });
});

describe('operatorMay', () => {
  it('allows resume only from stalled and awaiting_user', () => {
    expect(JOB_STATES.filter((state) => operatorMay('resume', state))).toEqual(['stalled', 'awaiting_user']);
  });

  it('allows cancel from every non-terminal state', () => {
    expect(JOB_STATES.filter((state) => operatorMay('cancel', state))).toEqual([
      'queued',
      'running',
      'stalled',
      'awaiting_validation',
      'awaiting_user',
    ]);
  });

  it('allows fail only from stalled', () => {
    expect(JOB_STATES.filter((state) => operatorMay('fail', state))).toEqual(['stalled']);
  });
});
