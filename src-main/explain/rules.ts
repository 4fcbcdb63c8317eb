/**
 * Why a job is where it is, as rules. Live states (queued, running) and states a person or a
 * policy decided are explained by their state; stalled, failed, poisoned and finished jobs by the
 * `status_reason` the engine, an executor or recovery wrote. A new reason is one entry in
 * BY_REASON; a reason without an entry still gets its state's explanation.
 */
import type { JobState } from '../../src-shared/enums';
import type { ExplanationFact } from '../../src-shared/inspector';
import { formatDuration } from '../../src-shared/time';
import type { JobBrief, JobEvidence, ModelRuntimeInfo } from './evidence';
import { describeBrief, eventFact, everySlot, fact, humanise, jobFact, plural, runFact, timeFact } from './facts';
import { isStatusReason, type StatusReason } from '../../src-shared/reasons';

export interface Explanation {
  reason: string;
  sentence: string;
  facts: ExplanationFact[];
}

export type Rule = (evidence: JobEvidence) => Explanation;

// ---- shared pieces ---------------------------------------------------------------------------

function errorFacts(e: JobEvidence): ExplanationFact[] {
  return e.job.error_message ? [fact('error_message', 'Error', e.job.error_message)] : [];
}

function attemptFacts(e: JobEvidence): ExplanationFact[] {
  const run = e.currentRun();
  return run ? [runFact(run.attempt, run.workflow_run_id), timeFact('run_started', 'Attempt started', run.created_at, e.now)] : [];
}

function ago(e: JobEvidence, at: string): string {
  return `${formatDuration(Math.max(0, e.now - Date.parse(at)))} ago`;
}

/** A person's own words, when they gave a reason rather than leaving the default. */
function personsReason(reason: unknown): string {
  return typeof reason === 'string' && !/_by_operator$/.test(reason) ? `: “${reason}”` : '';
}

function decidedByPerson(e: JobEvidence): boolean {
  return e.enteredState()?.payload.cause === 'operator';
}

/** How busy the slots are, and which other jobs hold them. */
function slotFacts(e: JobEvidence, running: { count: number; first: JobBrief[] }): ExplanationFact[] {
  return [
    fact('slots', 'Worker slots busy', `${running.count} of ${e.concurrency}`),
    ...running.first.filter((job) => job.job_id !== e.job.job_id).map((job) => jobFact('slot_holder', 'Running in a slot', job)),
  ];
}

function recoveryFacts(e: JobEvidence): ExplanationFact[] {
  const recovery = e.recovery();
  return [
    fact('recovery_state', 'Startup recovery', recovery.state),
    timeFact('recovery_ready_at', 'Recovery finishes', e.now + recovery.ready_in_ms, e.now),
    fact('orphaned_runs_waiting', 'Runs recovery waits for', recovery.waiting_count),
  ];
}

function readyIn(e: JobEvidence): string {
  const ms = e.recovery().ready_in_ms;
  return ms > 0 ? `, in about ${formatDuration(ms)}` : '';
}

// ---- queued and running ------------------------------------------------------------------------

function queuedSince(e: JobEvidence): ExplanationFact[] {
  const entered = e.enteredState();
  if (entered && entered.payload.cause === 'operator') {
    return [timeFact('resumed_at', 'Resumed by a person', entered.timestamp, e.now, { kind: 'event', id: entered.event_id })];
  }
  return [timeFact('queued_at', 'Queued', entered?.timestamp ?? e.job.created_at, e.now)];
}

const explainQueued: Rule = (e) => {
  const recovery = e.recovery();
  if (recovery.state === 'failed') {
    return {
      reason: 'recovery_failed',
      sentence: 'Startup recovery failed, so no job starts until the app is restarted.',
      facts: [fact('recovery_state', 'Startup recovery', 'failed'), ...(recovery.error ? [fact('recovery_error', 'Recovery error', recovery.error)] : [])],
    };
  }
  if (recovery.state !== 'complete') {
    return {
      reason: 'waiting_for_recovery',
      sentence: `Waiting for startup recovery: no job starts before it finishes${readyIn(e)}.`,
      facts: [...recoveryFacts(e), ...queuedSince(e)],
    };
  }
  const ahead = e.ahead();
  const running = e.running();
  const free = Math.max(0, e.concurrency - running.count);
  const facts = [
    ...queuedSince(e),
    fact('queue_position', 'Jobs ahead in the queue', ahead.count),
    ...ahead.first.map((job) => jobFact('ahead', 'Ahead in the queue', job)),
    ...slotFacts(e, running),
  ];
  if (ahead.count < free) {
    return { reason: 'next_in_line', sentence: 'Next in line: a worker slot is free, so it starts in a moment.', facts };
  }
  const behind = ahead.count === 0 ? 'First in the queue' : `Queued behind ${plural(ahead.count, 'job')}`;
  const holders = running.first.length > 0 ? ` (${running.first.map(describeBrief).join(', ')}${running.count > running.first.length ? ', …' : ''})` : '';
  const sentence =
    free === 0 ? `${behind}; ${everySlot(e.concurrency)} busy${holders}.` : `${behind}, which take the free worker slot first.`;
  return { reason: 'queued_behind_busy_slots', sentence, facts };
};

const explainRunning: Rule = (e) => {
  const run = e.currentRun();
  if (!run) return { reason: 'running', sentence: 'Running; its workflow run is not recorded.', facts: [] };
  const facts = [...attemptFacts(e), timeFact('last_heartbeat', 'Last heartbeat', run.last_heartbeat, e.now)];
  const recovery = e.recovery();
  if (recovery.state === 'pending' || recovery.state === 'running') {
    return {
      reason: 'orphaned_awaiting_recovery',
      sentence: `Left running when the app last stopped: startup recovery marks it stalled once its heartbeat is old enough${readyIn(e)}.`,
      facts: [...facts, ...recoveryFacts(e)],
    };
  }
  const node = run.nodes.findLast((candidate) => candidate.status === 'running');
  const where = node ? `, now in ${node.node_id}` : '';
  return {
    reason: 'running',
    sentence: `Running attempt ${run.attempt} for ${formatDuration(Math.max(0, e.now - Date.parse(run.created_at)))}${where}; last heartbeat ${ago(e, run.last_heartbeat)}.`,
    facts: [...facts, ...(node ? [timeFact('node', `Node ${node.node_id} started`, node.started_at, e.now)] : []), ...slotFacts(e, e.running())],
  };
};

// ---- stalled -------------------------------------------------------------------------------------

function stalledAfter(how: 'crash' | 'clean_stop'): Rule {
  const stop = how === 'crash' ? 'the app stopped unexpectedly (a crash or power loss)' : 'the app was shut down';
  return (e) => {
    const run = e.currentRun();
    const recovery = e.latest('workflow_recovery');
    const heartbeat = typeof recovery?.payload.last_heartbeat_ts === 'string' ? recovery.payload.last_heartbeat_ts : run?.last_heartbeat;
    const gap = recovery && heartbeat ? `; its last heartbeat came ${formatDuration(Math.max(0, Date.parse(recovery.timestamp) - Date.parse(heartbeat)))} before startup recovery found it` : '';
    const facts = [
      ...attemptFacts(e),
      ...(heartbeat ? [timeFact('last_heartbeat', 'Last heartbeat', heartbeat, e.now)] : []),
      fact('app_stop', 'How the app stopped', how === 'crash' ? 'crash or power loss (no clean-stop record)' : 'clean shutdown'),
    ];
    if (recovery) {
      facts.push(
        timeFact('recovered_at', 'Marked stalled by startup recovery', recovery.timestamp, e.now, { kind: 'event', id: recovery.event_id }),
        fact('heartbeat_limit', 'Heartbeat older than', `${String(recovery.payload.threshold_secs)} s`),
      );
    }
    return {
      reason: how === 'crash' ? 'stalled_after_crash' : 'stalled_after_clean_stop',
      sentence: `Stalled: ${stop} while attempt ${run?.attempt ?? '?'} ran${gap}. Resume, fail or cancel it.`,
      facts,
    };
  };
}

// ---- failed --------------------------------------------------------------------------------------

/** A failure whose sentence needs nothing but the job: the error message is its fact. */
function failure(reason: string, sentence: (e: JobEvidence) => string): Rule {
  return (e) => ({ reason, sentence: sentence(e), facts: [...attemptFacts(e), ...errorFacts(e)] });
}

function commandOf(e: JobEvidence): string | null {
  const inputs = e.job.job_inputs;
  const argv = inputs && typeof inputs === 'object' && !Array.isArray(inputs) ? inputs.argv : undefined;
  return Array.isArray(argv) && argv.every((part) => typeof part === 'string') ? argv.join(' ') : null;
}

function exitCodeOf(e: JobEvidence): number | null {
  const outputs = e.job.job_outputs;
  const code = outputs && typeof outputs === 'object' && !Array.isArray(outputs) ? outputs.exit_code : undefined;
  return typeof code === 'number' ? code : null;
}

function failedNode(e: JobEvidence) {
  return e.currentRun()?.nodes.findLast((node) => node.status === 'failed') ?? null;
}

const failedByTimeout: Rule = (e) => {
  const node = failedNode(e);
  const limitMs = Number(/(\d+) ms timeout/.exec(e.job.error_message ?? '')?.[1] ?? Number.NaN);
  const limit = Number.isFinite(limitMs) ? ` of ${formatDuration(limitMs)}` : '';
  const facts = [...attemptFacts(e)];
  if (node) {
    const ran = (node.finished_at ? Date.parse(node.finished_at) : e.now) - Date.parse(node.started_at);
    facts.push(fact('node', 'Node stopped', node.node_id), fact('ran_for', 'Ran for', formatDuration(ran)));
  }
  if (Number.isFinite(limitMs)) facts.push(fact('time_limit', 'Time limit', formatDuration(limitMs)));
  return {
    reason: 'failed_timeout',
    sentence: `Failed: ${node?.node_id ?? 'it'} ran longer than its time limit${limit} and was stopped.`,
    facts: [...facts, ...errorFacts(e)],
  };
};

const failedByCapability: Rule = (e) => {
  const denied = e.events('capability_action').filter((event) => event.payload.decision_outcome === 'deny');
  const capabilities = [...new Set(denied.map((event) => String(event.payload.capability_id)))];
  const facts = [
    fact('capability_profile', 'Capability profile', e.job.capability_profile_id),
    fact('access_mode', 'Access mode', e.job.access_mode),
    ...denied.map((event) => eventFact('denied_capability', 'Denied capability', String(event.payload.capability_id), event)),
    ...(e.job.error_message ? [fact('rule', 'Rule', e.job.error_message)] : []),
  ];
  const sentence =
    capabilities.length > 0
      ? `Failed before it ran: capability profile ${e.job.capability_profile_id} does not grant ${capabilities.join(', ')}, which ${e.job.job_kind} needs.`
      : `Failed before it ran: a capability rule refused it (${e.job.error_message ?? 'no rule recorded'}).`;
  return { reason: 'failed_capability_denied', sentence, facts };
};

/** What to start so model-backed jobs can run, from the runtime this core was started with. */
function runtimeRemedy(runtime: ModelRuntimeInfo): string {
  if (runtime.kind === 'ollama') {
    const model = runtime.model_id?.replace(/^ollama:/, '') ?? 'the model';
    return `start Ollama (\`ollama serve\`) and fetch the model (\`ollama pull ${model}\`), then run the job again`;
  }
  if (runtime.kind === 'none') {
    return 'restart the inspector with --model-runtime ollama (and start `ollama serve`), or --model-runtime mock for labelled demo output';
  }
  return 'the mock runtime is always available: run the job again';
}

const failedByModelRuntime: Rule = (e) => {
  const remedy = runtimeRemedy(e.modelRuntime);
  return {
    reason: 'failed_model_runtime_unavailable',
    sentence: `Failed: the model runtime was not available. To run it, ${remedy}.`,
    facts: [
      ...attemptFacts(e),
      ...(e.job.error_message ? [fact('runtime_said', 'The runtime said', e.job.error_message)] : []),
      fact('model_runtime', 'Model runtime now', e.modelRuntime.label),
      fact('what_to_start', 'What to start', remedy),
    ],
  };
};

const failedByExit: Rule = (e) => {
  const code = exitCodeOf(e);
  const command = commandOf(e);
  return {
    reason: 'failed_exit_nonzero',
    sentence: `Failed: ${command ? `\`${command}\`` : 'the command'} ${code === null ? 'was killed' : `exited with code ${code}`}.`,
    facts: [
      ...attemptFacts(e),
      ...(command ? [fact('command', 'Command', command)] : []),
      ...(code === null ? [] : [fact('exit_code', 'Exit code', code)]),
      ...errorFacts(e),
    ],
  };
};

const failedStep: Rule = (e) => {
  const node = failedNode(e);
  return {
    reason: 'failed_step',
    sentence: `Failed: workflow step ${node?.node_id ?? '(unknown)'} failed${node?.status_reason ? ` (${humanise(node.status_reason)})` : ''}.`,
    facts: [...attemptFacts(e), ...(node ? [fact('failed_step', 'Failed step', node.node_id)] : []), ...errorFacts(e)],
  };
};

const failedByPerson: Rule = (e) => {
  const entered = e.enteredState();
  return {
    reason: 'failed_by_person',
    sentence: `Marked failed by a person${entered ? ` ${ago(e, entered.timestamp)}` : ''}${personsReason(entered?.payload.reason)}.`,
    facts: entered ? [timeFact('decided_at', 'Decided', entered.timestamp, e.now, { kind: 'event', id: entered.event_id }), fact('decided_by', 'By', entered.actor)] : [],
  };
};

// ---- poisoned ------------------------------------------------------------------------------------

const poisonedByInjection: Rule = (e) => {
  const violation = e.latest('security_violation');
  if (!violation) return failure('poisoned_prompt_injection', () => 'Poisoned: a prompt-injection pattern was found in its inputs; it never runs again.')(e);
  const pattern = String(violation.payload.trigger);
  const source = /found in (.+) at offset/.exec(String(violation.payload.description))?.[1] ?? 'its inputs';
  return {
    reason: 'poisoned_prompt_injection',
    sentence: `Poisoned: the prompt-injection pattern “${pattern}” was found in ${source} at offset ${String(violation.payload.offset)}; a poisoned job never runs again (run it again with clean inputs as a new job).`,
    facts: [
      eventFact('pattern', 'Pattern', pattern, violation),
      fact('found_in', 'Found in', source),
      fact('offset', 'Offset', String(violation.payload.offset)),
      timeFact('poisoned_at', 'Poisoned', violation.timestamp, e.now),
      ...attemptFacts(e),
    ],
  };
};

// ---- decided and finished states -----------------------------------------------------------------

const explainCancelled: Rule = (e) => {
  const entered = e.enteredState();
  if (!entered) return { reason: 'cancelled', sentence: 'Cancelled before it finished.', facts: [] };
  const byPerson = entered.payload.cause === 'operator';
  const when = entered.payload.from_state === 'running' ? ' while it ran' : entered.payload.from_state === 'queued' ? ' before it started' : '';
  return {
    reason: byPerson ? 'cancelled_by_person' : 'cancelled_by_policy',
    sentence: `Cancelled by ${byPerson ? 'a person' : 'a policy'} ${ago(e, entered.timestamp)}${when}${personsReason(entered.payload.reason)}.`,
    facts: [
      timeFact('decided_at', 'Cancelled', entered.timestamp, e.now, { kind: 'event', id: entered.event_id }),
      fact('decided_by', 'By', entered.actor),
      fact('from_state', 'It was', String(entered.payload.from_state)),
      fact('reason', 'Reason', String(entered.payload.reason)),
    ],
  };
};

function finishedFacts(e: JobEvidence): ExplanationFact[] {
  const { job } = e;
  return [
    ...(job.completed_at ? [timeFact('finished_at', 'Finished', job.completed_at, e.now)] : []),
    fact('duration', 'Run time', formatDuration(job.metrics.duration_ms)),
    ...(job.metrics.total_tokens > 0 ? [fact('tokens', 'Tokens', job.metrics.total_tokens)] : []),
    ...attemptFacts(e),
  ];
}

const explainCompleted: Rule = (e) => ({
  reason: 'completed',
  sentence: `Completed${e.job.completed_at ? ` ${ago(e, e.job.completed_at)}` : ''} after ${formatDuration(e.job.metrics.duration_ms)} of run time.`,
  facts: finishedFacts(e),
});

function completedWithIssue(reason: string, issue: string): Rule {
  return (e) => ({ reason, sentence: `Completed with issues: ${issue}.`, facts: finishedFacts(e) });
}

function awaiting(reason: string, sentence: string): Rule {
  return (e) => ({ reason, sentence, facts: [timeFact('waiting_since', 'Waiting since', e.job.updated_at, e.now)] });
}

// ---- the tables ------------------------------------------------------------------------------------

/** Each state's own explanation: what matters for live and decided states, the fallback for the rest. */
const BY_STATE: Record<JobState, Rule> = {
  queued: explainQueued,
  running: explainRunning,
  stalled: failure('stalled', (e) => `Stalled: its run stopped without finishing (${humanise(e.job.status_reason) || 'no reason recorded'}). Resume, fail or cancel it.`),
  awaiting_validation: awaiting('awaiting_validation', 'Waiting for a validation decision: accept or reject it.'),
  awaiting_user: awaiting('awaiting_user', 'Waiting for a person to decide: accept, reject or run it again.'),
  completed: explainCompleted,
  completed_with_issues: (e) => completedWithIssue('completed_with_issues', humanise(e.job.status_reason) || 'no reason recorded')(e),
  failed: (e) => (decidedByPerson(e) ? failedByPerson(e) : failure('failed', (evidence) => `Failed (${humanise(evidence.job.status_reason) || 'no reason recorded'}).`)(e)),
  cancelled: explainCancelled,
  poisoned: failure('poisoned', (e) => `Poisoned by a security check (${humanise(e.job.status_reason)}); it never runs again.`),
};

/** States whose explanation comes from the state itself, whatever the reason says. */
const EXPLAINED_BY_STATE: ReadonlySet<JobState> = new Set(['queued', 'running', 'cancelled', 'awaiting_validation', 'awaiting_user']);

/** Explanations by status_reason, per state; keyed by the codes the core writes (STATUS_REASONS). */
const BY_REASON: Partial<Record<JobState, Partial<Record<StatusReason, Rule>>>> = {
  stalled: {
    heartbeat_timeout_after_crash: stalledAfter('crash'),
    interrupted_by_shutdown: stalledAfter('clean_stop'),
  },
  failed: {
    timeout: failedByTimeout,
    capability_denied: failedByCapability,
    model_runtime_unavailable: failedByModelRuntime,
    no_executor: failure('failed_no_executor', (e) => `Failed before it ran: this machine has no executor for ${e.job.job_kind}.`),
    invalid_inputs: failure('failed_invalid_inputs', (e) => `Failed before it ran: its inputs are not valid for ${e.job.job_kind}.`),
    exit_nonzero: failedByExit,
    command_not_found: failure('failed_command_not_found', (e) => `Failed: the command ${commandOf(e)?.split(' ')[0] ?? ''} was not found on this machine.`),
    spawn_failed: failure('failed_spawn', () => 'Failed: the command could not be started.'),
    invalid_cwd: failure('failed_invalid_cwd', () => 'Failed before the command started: its working directory is not a directory.'),
    step_failed: failedStep,
    executor_error: failure('failed_executor_error', () => 'Failed: its executor hit an error.'),
    engine_error: failure('failed_engine_error', () => 'Failed: the workflow engine hit an internal error.'),
  },
  poisoned: {
    prompt_injection_detected: poisonedByInjection,
  },
  completed_with_issues: {
    output_truncated: completedWithIssue('completed_output_truncated', 'the output was cut at its size limit, so it is a preview only'),
    events_truncated: completedWithIssue('completed_events_truncated', 'the bundle was written, but its event slice was cut at its size limit'),
  },
};

export function ruleFor(evidence: JobEvidence): Rule {
  const { state, status_reason: reason } = evidence.job;
  if (EXPLAINED_BY_STATE.has(state) || decidedByPerson(evidence)) return BY_STATE[state];
  // A reason an operator typed in words has no rule of its own: the state explains it.
  return (isStatusReason(reason) ? BY_REASON[state]?.[reason] : undefined) ?? BY_STATE[state];
}
