/**
 * Who may move a job from which state to which (spec-digest §2.1-§2.4, with the choices written
 * down in the README's design notes). Every state write in the store goes through `checkTransition`.
 */
import { JOB_STATES, type Actor, type JobState } from './enums';

/**
 * Why a transition happens. Each cause maps to exactly one Flight Recorder actor.
 * - engine: the workflow engine running the job.
 * - recovery: the startup recovery scan (HSK-WF-003); the only cause that may set `stalled`.
 * - operator: a person, through the UI or API (jobs.cancel / jobs.resume / jobs.fail).
 * - policy: an automatic rule (timeouts, capability denial before a run).
 * - security: the poisoning trap (HSK-ACE-VAL-101).
 */
export const TRANSITION_CAUSES = ['engine', 'recovery', 'operator', 'policy', 'security'] as const;
export type TransitionCause = (typeof TRANSITION_CAUSES)[number];

export const ACTOR_OF_CAUSE = {
  engine: 'system',
  recovery: 'system',
  operator: 'human',
  policy: 'system',
  security: 'system',
} as const satisfies Record<TransitionCause, Actor>;

type Edges = Partial<Record<JobState, readonly TransitionCause[]>>;

/** from -> to -> causes allowed. A pair not listed is illegal. */
export const JOB_TRANSITIONS = {
  // A job that needs a consent it does not have waits for the operator instead of running.
  queued: {
    running: ['engine'],
    awaiting_user: ['policy'],
    failed: ['engine', 'policy'],
    cancelled: ['operator', 'policy'],
    poisoned: ['security'],
  },
  running: {
    awaiting_validation: ['engine'],
    completed: ['engine'],
    completed_with_issues: ['engine'],
    failed: ['engine', 'policy'],
    cancelled: ['operator', 'policy'],
    stalled: ['recovery'],
    poisoned: ['security'],
  },
  // A validator that needs a person: the operator accepts (completed) or rejects (cancelled).
  awaiting_validation: {
    awaiting_user: ['engine'],
    completed: ['engine', 'operator'],
    completed_with_issues: ['engine'],
    failed: ['engine'],
    cancelled: ['operator', 'policy'],
    poisoned: ['security'],
  },
  awaiting_user: {
    completed: ['operator'],
    queued: ['operator'],
    cancelled: ['operator', 'policy'],
    poisoned: ['security'],
  },
  // A resumed job goes back to the queue and runs again as a new attempt (new workflow_run_id).
  stalled: {
    queued: ['operator', 'policy'],
    failed: ['operator', 'policy'],
    cancelled: ['operator', 'policy'],
    poisoned: ['security'],
  },
  completed: {},
  completed_with_issues: {},
  failed: {},
  cancelled: {},
  poisoned: {},
} as const satisfies Record<JobState, Edges>;

/** States with no way out (spec-digest §2.3): the ones the table gives no edge. */
export type TerminalJobState = {
  [S in JobState]: keyof (typeof JOB_TRANSITIONS)[S] extends never ? S : never;
}[JobState];

export const TERMINAL_JOB_STATES: readonly TerminalJobState[] = JOB_STATES.filter(
  (state): state is TerminalJobState => Object.keys(JOB_TRANSITIONS[state]).length === 0,
);

export function isTerminalState(state: JobState): state is TerminalJobState {
  return (TERMINAL_JOB_STATES as readonly JobState[]).includes(state);
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkTransition(from: JobState, to: JobState, cause: TransitionCause): TransitionCheck {
  const edges: Edges = JOB_TRANSITIONS[from];
  const causes = edges[to];
  if (!causes) {
    const targets = Object.keys(edges);
    return {
      ok: false,
      reason:
        targets.length === 0
          ? `${from} is a terminal state; a job in it cannot change`
          : `no transition from ${from} to ${to}; from ${from} a job may go to ${targets.join(', ')}`,
    };
  }
  if (!causes.includes(cause)) {
    return { ok: false, reason: `${from} -> ${to} may be done by ${causes.join(' or ')}, not by ${cause}` };
  }
  return { ok: true };
}

/** The operator actions of the UI and API, as transitions. */
export const OPERATOR_ACTIONS = {
  cancel: 'cancelled',
  resume: 'queued',
  fail: 'failed',
} as const satisfies Record<string, JobState>;
export type OperatorAction = keyof typeof OPERATOR_ACTIONS;

/**
 * The operator's decisions on a job that waits for a person (jobs.accept / jobs.reject). Accepting a
 * job that waits for consent queues it to run; accepting a result completes it; rejecting cancels.
 */
export const DECISION_STATES = ['awaiting_validation', 'awaiting_user'] as const;
export type DecisionState = (typeof DECISION_STATES)[number];
export type OperatorDecision = 'accept' | 'reject';

export function isDecisionState(state: JobState): state is DecisionState {
  return (DECISION_STATES as readonly JobState[]).includes(state);
}

/** Where a decision takes a job: waiting for consent, `accept` queues it; otherwise it completes it. */
export function decisionTarget(decision: OperatorDecision, waitingForConsent: boolean): JobState {
  if (decision === 'reject') return 'cancelled';
  return waitingForConsent ? 'queued' : 'completed';
}

/** Whether the operator may take `action` on a job in `state` (drives which buttons the UI shows). */
export function operatorMay(action: OperatorAction, state: JobState): boolean {
  return checkTransition(state, OPERATOR_ACTIONS[action], 'operator').ok;
}
