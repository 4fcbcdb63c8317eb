import { randomUUID } from 'node:crypto';
import { JobsListInputSchema, type JobListQuery } from '../../src-shared/ipc';
import type { JobKind } from '../../src-shared/enums';
import { describe, expect, it, vi } from 'vitest';
import { JOB_STATES, type JobState } from '../../src-shared/enums';

import { listedIdOf, zeroMetrics } from '../../src-shared/job';
import { TRANSITION_CAUSES, checkTransition } from '../../src-shared/transitions';
import { errorOf } from '../testing/errors';
import { makeTempDir } from '../testing/temp-dir';
import { Store } from './store';
import { count, dbOf, eventsOfType, stallRun, parsedJob } from '../testing/store';

const OPTIONS = { capabilityProfileId: 'Analyst' };

function openStore(start = Date.UTC(2026, 0, 1)): { store: Store; clock: { now: number } } {
  const clock = { now: start };
  const store = Store.open(makeTempDir(), { now: () => clock.now });
  return { store, clock };
}

function eventTypes(store: Store, jobId: string): string[] {
  return store.listEvents({ job_id: jobId, order: 'asc', limit: 500 }).items.map((event) => event.type);
}

/** Every (table, row) as stored, to prove a refused call changed nothing at all. */
function snapshot(store: Store): unknown {
  return ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events'].map((table) =>
    dbOf(store).prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
  );
}

/** Drives a new job into `state` through the store's own legal paths. */
function jobIn(store: Store, state: JobState): string {
  const jobId = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS).job_id;
  const toRunning = () => store.startRun(jobId).run.workflow_run_id;
  const toValidation = () => (toRunning(), store.transitionJob(jobId, 'awaiting_validation', 'engine', 'validate'));
  const steps: Record<JobState, () => void> = {
    queued: () => undefined,
    running: toRunning,
    stalled: () => stallRun(store, toRunning(), 'heartbeat_timeout_after_crash', 30, 'stalled for the test'),
    awaiting_validation: toValidation,
    awaiting_user: () => (toValidation(), store.transitionJob(jobId, 'awaiting_user', 'engine', 'ask')),
    completed: () => (toRunning(), store.transitionJob(jobId, 'completed', 'engine', 'done')),
    completed_with_issues: () => (toRunning(), store.transitionJob(jobId, 'completed_with_issues', 'engine', 'meh')),
    failed: () => store.transitionJob(jobId, 'failed', 'policy', 'denied'),
    cancelled: () => store.transitionJob(jobId, 'cancelled', 'operator', 'stop'),
    poisoned: () => store.transitionJob(jobId, 'poisoned', 'security', 'injection'),
  };
  steps[state]();
  expect(store.getJob(jobId).state).toBe(state);
  return jobId;
}

describe('createJob', () => {
  it('stores a queued job with zeroed metrics, a new trace_id and the capability profile', () => {
    const { store, clock } = openStore();
    const job = store.createJob({ job_kind: 'doc_summarize', protocol_id: 'hsk.sum.v1' }, OPTIONS);
    expect(job).toMatchObject({
      job_kind: 'doc_summarize',
      state: 'queued',
      status_reason: 'queued',
      metrics: zeroMetrics(),
      capability_profile_id: 'Analyst',
      workflow_run_id: null,
      completed_at: null,
      created_at: new Date(clock.now).toISOString(),
    });
    expect(job.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.getJob(job.job_id)).toEqual(job);
  });

  it('keeps a trace_id the caller gave', () => {
    const { store } = openStore();
    const traceId = randomUUID();
    expect(store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', trace_id: traceId }, OPTIONS).trace_id).toBe(traceId);
  });

  it('writes exactly one job_created event with the job and its trace', () => {
    const { store } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    const events = store.listEvents({ order: 'asc' }).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'job_created',
      actor: 'human',
      job_id: job.job_id,
      trace_id: job.trace_id,
      payload: { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', state: 'queued', submitted_job_kind: null },
    });
  });

  it('stores neither the job nor its event when the event cannot be written (one transaction)', () => {
    const { store } = openStore();
    // Valid input cannot make the event fail, so make the log refuse writes by hand.
    dbOf(store).exec("CREATE TRIGGER no_events BEFORE INSERT ON fr_events BEGIN SELECT RAISE(ABORT, 'log down'); END");
    expect(() => store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS)).toThrow('log down');
    expect(count(store, 'ai_jobs')).toBe(0);
  });

  it('stores a whole batch or nothing', () => {
    const { store } = openStore();
    const jobs = store.createJobs(
      [
        { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' },
        { job_kind: 'doc_rewrite', protocol_id: 'hsk.docs.rewrite.v0' },
      ],
      OPTIONS,
    );
    expect(jobs.map((job) => job.job_kind)).toEqual(['doc_edit', 'doc_rewrite']);
    const refused = errorOf(() =>
      store.createJobs([{ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, { job_kind: 'doc_test' as JobKind, protocol_id: 'd' }], OPTIONS),
    );
    expect(refused.code).toBe('HSK-400-INVALID-JOB-KIND');
    expect(refused.message).toContain('jobs[1].job_kind');
    expect(count(store, 'ai_jobs')).toBe(2);
    expect(count(store, 'fr_events')).toBe(2);
  });
});

describe('alias normalisation (term_exec -> terminal_exec)', () => {
  /** No stored value may spell the alias, except job_created's record of what the caller typed. */
  function aliasLeftovers(store: Store): unknown[] {
    const jobs = dbOf(store).prepare('SELECT * FROM ai_jobs').all() as Record<string, unknown>[];
    const inJobs = jobs.filter((row) => JSON.stringify(row).includes('term_exec'));
    const inEvents = dbOf(store)
      .prepare("SELECT * FROM fr_events WHERE json_remove(payload, '$.submitted_job_kind') LIKE '%term\\_exec%' ESCAPE '\\'")
      .all();
    store.indexSearch(100);
    const ftsHits = dbOf(store).prepare("SELECT rowid FROM job_search WHERE job_search MATCH '\"term_exec\"'").all();
    return [...inJobs, ...inEvents, ...ftsHits];
  }

  it('stores, reads back, lists and events a job submitted as term_exec as terminal_exec', () => {
    const { store } = openStore();
    const job = store.createJob(parsedJob({ job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } }), { ...OPTIONS, submittedKind: 'term_exec' });
    expect(job.job_kind).toBe('terminal_exec');
    expect(store.getJob(job.job_id).job_kind).toBe('terminal_exec');
    expect(store.listJobs({ job_kind: ['terminal_exec'] }).items.map(listedIdOf)).toEqual([job.job_id]);
    const [created] = eventsOfType(store, 'job_created', job.job_id);
    expect(created?.payload).toMatchObject({ job_kind: 'terminal_exec', submitted_job_kind: 'term_exec' });

    const run = store.startRun(job.job_id).run;
    expect(eventsOfType(store, 'workflow_run_started', job.job_id)[0]?.payload.job_kind).toBe('terminal_exec');
    store.finishRun(run.workflow_run_id, { status: 'completed', reason: 'ok', cause: 'engine' });
    expect(aliasLeftovers(store)).toEqual([]);
  });

  it('normalises every job of a batch', () => {
    const { store } = openStore();
    const jobs = store.createJobs(
      [
        parsedJob({ job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['a'] } }),
        parsedJob({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['b'] } }),
      ],
      OPTIONS,
    );
    expect(jobs.map((job) => job.job_kind)).toEqual(['terminal_exec', 'terminal_exec']);
    expect(aliasLeftovers(store)).toEqual([]);
  });

  it('accepts the alias in a list filter and finds the canonical jobs', () => {
    const { store } = openStore();
    const job = store.createJob(parsedJob({ job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } }), OPTIONS);
    store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    expect(store.listJobs(JobsListInputSchema.parse({ job_kind: ['term_exec'] }) as JobListQuery).items.map(listedIdOf)).toEqual([job.job_id]);
  });

  it('does not record a submitted kind when the caller used the canonical spelling', () => {
    const { store } = openStore();
    const job = store.createJob({ job_kind: 'terminal_exec', protocol_id: 'p' }, { ...OPTIONS, submittedKind: 'terminal_exec' });
    expect(eventsOfType(store, 'job_created', job.job_id)[0]?.payload.submitted_job_kind).toBeNull();
  });
});

describe('transitions', () => {
  it.each(JOB_STATES)('refuses every illegal transition out of %s and leaves the row and the log unchanged', (from) => {
    const { store } = openStore();
    const jobId = jobIn(store, from);
    const before = snapshot(store);
    let refused = 0;
    for (const to of JOB_STATES) {
      for (const cause of TRANSITION_CAUSES) {
        if (checkTransition(from, to, cause).ok) continue;
        const error = errorOf(() => store.transitionJob(jobId, to, cause, 'try', { error_message: 'should not stick' }));
        expect(error.code, `${from} -> ${to} by ${cause}`).toBe('HSK-409-ILLEGAL-TRANSITION');
        refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses to start a run for a job that is not queued', () => {
    const { store } = openStore();
    const jobId = jobIn(store, 'completed');
    const before = snapshot(store);
    expect(errorOf(() => store.startRun(jobId)).code).toBe('HSK-409-ILLEGAL-TRANSITION');
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses to finish a run into an illegal job state and rolls the run back too', () => {
    const { store } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    const { run } = store.startRun(job.job_id);
    const before = snapshot(store);
    const error = errorOf(() =>
      store.finishRun(run.workflow_run_id, { status: 'failed', reason: 'x', cause: 'recovery' }),
    );
    expect(error.code).toBe('HSK-409-ILLEGAL-TRANSITION');
    expect(snapshot(store)).toEqual(before);
  });

  it('sets completed_at only when the job reaches a terminal state', () => {
    const { store, clock } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    store.startRun(job.job_id);
    expect(store.getJob(job.job_id).completed_at).toBeNull();
    expect(store.transitionJob(job.job_id, 'awaiting_validation', 'engine', 'check').completed_at).toBeNull();
    expect(store.transitionJob(job.job_id, 'awaiting_user', 'engine', 'ask').completed_at).toBeNull();
    clock.now += 5_000;
    const done = store.transitionJob(job.job_id, 'completed', 'operator', 'approved');
    expect(done.completed_at).toBe(new Date(clock.now).toISOString());
  });

  it('writes only the columns a change alters: unchanged ones fire no UPDATE OF trigger and keep their value', () => {
    const { store, clock } = openStore();
    const db = dbOf(store);
    // A witness of every column named in an UPDATE's SET list, changed or not (SQLite's rule).
    db.exec('CREATE TEMP TABLE written (job_id TEXT, columns TEXT)');
    const watched = ['metrics', 'job_outputs', 'error_message', 'consent_decision', 'runtime_id', 'workflow_run_id', 'completed_at'];
    for (const column of watched) {
      db.exec(`CREATE TEMP TRIGGER witness_${column} AFTER UPDATE OF ${column} ON main.ai_jobs BEGIN
        INSERT INTO written VALUES (new.job_id, '${column}'); END`);
    }
    const writtenBy = (change: () => void): string[] => {
      db.exec('DELETE FROM written');
      change();
      return (db.prepare('SELECT columns FROM written ORDER BY columns').pluck().all() as string[]);
    };
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    clock.now += 1_000;
    expect(writtenBy(() => store.startRun(job.job_id))).toEqual(['workflow_run_id']);
    clock.now += 1_000;
    expect(writtenBy(() => store.transitionJob(job.job_id, 'awaiting_validation', 'engine', 'check'))).toEqual([]);
    clock.now += 1_000;
    expect(writtenBy(() => store.transitionJob(job.job_id, 'completed', 'operator', 'approved', { metrics: { input_tokens: 3 } }))).toEqual(['completed_at', 'metrics']);
    const stored = store.getJob(job.job_id);
    expect(stored).toMatchObject({ state: 'completed', status_reason: 'approved', completed_at: new Date(clock.now).toISOString(), updated_at: new Date(clock.now).toISOString() });
    expect(stored.metrics.input_tokens).toBe(3);
    expect(stored.workflow_run_id).toBe(store.listRuns(job.job_id)[0]!.workflow_run_id);
  });

  it('writes an operator transition with actor human', () => {
    const { store } = openStore();
    const jobId = jobIn(store, 'queued');
    store.transitionJob(jobId, 'cancelled', 'operator', 'not needed');
    expect(eventsOfType(store, 'job_state_changed', jobId)[0]).toMatchObject({
      actor: 'human',
      payload: { from_state: 'queued', to_state: 'cancelled', cause: 'operator', reason: 'not needed' },
    });
  });
});

describe('run lifecycle', () => {
  it('writes start, node and finish events in order, all on the job trace', () => {
    const { store, clock } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    const { run, job: running } = store.startRun(job.job_id);
    expect(running).toMatchObject({ state: 'running', workflow_run_id: run.workflow_run_id });
    expect(run).toMatchObject({ status: 'running', attempt: 1 });

    clock.now += 1_000;
    store.heartbeat(run.workflow_run_id);
    expect(store.getRun(run.workflow_run_id).last_heartbeat).toBe(new Date(clock.now).toISOString());

    const node = store.startNode(run.workflow_run_id, { node_id: 'n1', node_type: 'llm', sequence: 0, input_payload: { q: 1 } });
    clock.now += 250;
    const finishedNode = store.finishNode(node.node_execution_id, { status: 'completed', reason: 'ok', output_payload: { a: 2 } });
    expect(finishedNode).toMatchObject({ status: 'completed', output_payload: { a: 2 } });
    const done = store.finishRun(run.workflow_run_id, {
      status: 'completed',
      reason: 'all nodes done',
      cause: 'engine',
      patch: { job_outputs: { answer: 42 }, metrics: { total_tokens: 7 } },
    });
    expect(done).toMatchObject({ state: 'completed', job_outputs: { answer: 42 }, metrics: { ...zeroMetrics(), total_tokens: 7 } });

    const events = store.listEvents({ job_id: job.job_id, order: 'asc' }).items;
    expect(events.map((event) => [event.type, event.payload.to_state ?? null])).toEqual([
      ['job_created', null],
      ['workflow_run_started', null],
      ['job_state_changed', 'running'],
      ['workflow_node_started', null],
      ['workflow_node_finished', null],
      ['workflow_run_finished', null],
      ['job_state_changed', 'completed'],
    ]);
    expect(new Set(events.map((event) => event.trace_id))).toEqual(new Set([job.trace_id]));
    expect(events.slice(1).every((event) => event.workflow_run_id === run.workflow_run_id)).toBe(true);
    expect(events[4]?.payload.duration_ms).toBe(250);
  });

  it('returns the run and job exactly as stored, even with a clock that moves on every read', () => {
    let tick = Date.UTC(2026, 0, 1);
    const store = Store.open(makeTempDir(), { now: () => (tick += 1) });
    const created = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    expect(created).toEqual(store.getJob(created.job_id));
    const { job, run } = store.startRun(created.job_id);
    expect(job).toEqual(store.getJob(created.job_id));
    expect(run).toEqual(store.getRun(run.workflow_run_id));
    // Records of changes to rows known valid are mapped, not parsed: still exactly what a read parses.
    const validating = store.transitionJob(created.job_id, 'awaiting_validation', 'engine', 'check', { job_outputs: { summary: 'ok' }, metrics: { input_tokens: 4 } });
    expect(validating).toEqual(store.getJob(created.job_id));
    const done = store.transitionJob(created.job_id, 'completed', 'operator', 'approved', { error_message: 'none' });
    expect(done).toEqual(store.getJob(created.job_id));
    expect(done).toMatchObject({ state: 'completed', job_outputs: { summary: 'ok' }, error_message: 'none' });
  });

  it('numbers attempts and refuses to finish a run twice', () => {
    const { store } = openStore();
    const jobId = jobIn(store, 'stalled');
    store.transitionJob(jobId, 'queued', 'operator', 'resume');
    const second = store.startRun(jobId).run;
    expect(second.attempt).toBe(2);
    store.finishRun(second.workflow_run_id, { status: 'failed', reason: 'x', cause: 'engine' });
    const again = errorOf(() =>
      store.finishRun(second.workflow_run_id, { status: 'completed', reason: 'x', cause: 'engine' }),
    );
    expect(again.code).toBe('HSK-409-CONFLICT');
    expect(store.listRuns(jobId).map((run) => run.status)).toEqual(['stalled', 'failed']);
  });

  it('does not move the heartbeat of a run that is no longer running', () => {
    const { store, clock } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    const { run } = store.startRun(job.job_id);
    store.finishRun(run.workflow_run_id, { status: 'completed', reason: 'x', cause: 'engine' });
    clock.now += 60_000;
    store.heartbeat(run.workflow_run_id);
    expect(store.getRun(run.workflow_run_id).last_heartbeat).toBe(run.last_heartbeat);
  });
});

describe('metrics', () => {
  it('merges partial metrics as they accrue, keeping all nine keys', () => {
    const { store } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    const announced: unknown[] = [];
    store.onChange((change) => change.kind === 'job' && announced.push(change.job));
    store.updateMetrics(job.job_id, { input_tokens: 3, output_tokens: 4 });
    store.updateMetrics(job.job_id, { output_tokens: 5, total_tokens: 8 });
    expect(store.getJob(job.job_id).metrics).toEqual({ ...zeroMetrics(), input_tokens: 3, output_tokens: 5, total_tokens: 8 });
    // What listeners hear is the row as stored.
    expect(announced.at(-1)).toEqual(store.getJob(job.job_id));
  });

  it('writes no event for a metrics update', () => {
    const { store } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    store.updateMetrics(job.job_id, { duration_ms: 10 });
    expect(eventTypes(store, job.job_id)).toEqual(['job_created']);
  });
});

describe('change notifications', () => {
  it('a throwing listener neither fails a committed write nor leaves group-commit writers waiting', async () => {
    const { store } = openStore();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: string[] = [];
    store.onChange(() => {
      throw new Error('listener broke');
    });
    store.onChange((change) => seen.push(change.kind));
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
    expect(store.getJob(job.job_id).state).toBe('queued');
    const { durable } = store.groupTransaction(() => store.startRun(job.job_id));
    await expect(durable).resolves.toBeUndefined();
    expect(seen.filter((kind) => kind === 'job')).toHaveLength(2);
    // Each failure is reported, not swallowed: one per change the broken listener was told of.
    expect(logged).toHaveBeenCalledWith('[store] a change listener failed:', expect.objectContaining({ message: 'listener broke' }));
    logged.mockRestore();
    store.close();
  });
});

describe('group commit', () => {
  const job = (store: Store) => store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);

  it('shares one transaction between the writes of a turn and makes them durable together', async () => {
    const { store } = openStore();
    const [a, b] = [job(store), job(store)];
    const first = store.groupTransaction(() => store.startRun(a.job_id));
    const second = store.groupTransaction(() => store.startRun(b.job_id));
    expect(dbOf(store).inTransaction).toBe(true);
    await Promise.all([first.durable, second.durable]);
    expect(dbOf(store).inTransaction).toBe(false);
    expect([store.getJob(a.job_id).state, store.getJob(b.job_id).state]).toEqual(['running', 'running']);
    store.close();
  });

  it('rolls back a whole transaction whose work caught a nested write that failed half done', () => {
    const { store } = openStore();
    const done = jobIn(store, 'completed');
    const before = snapshot(store);
    // startRun inserts the run, then refuses the job's move: a unit that swallowed that must not
    // commit the run alone.
    const error = errorOf(() =>
      store.transaction(() => {
        job(store);
        try {
          store.startRun(done);
        } catch {
          // swallowed on purpose
        }
      }),
    );
    expect(error.code).toBe('HSK-409-ILLEGAL-TRANSITION');
    expect(snapshot(store)).toEqual(before);
    store.close();
  });

  it('rolls back only the group unit that caught a half-done nested write; the others commit', async () => {
    const { store } = openStore();
    const done = jobIn(store, 'completed');
    const kept = store.groupTransaction(() => job(store));
    const runsBefore = count(store, 'workflow_runs');
    expect(() =>
      store.groupTransaction(() => {
        try {
          store.startRun(done);
        } catch {
          // swallowed on purpose
        }
      }),
    ).toThrow(/not queued|illegal|cannot/i);
    await kept.durable;
    expect(store.getJob(kept.result.job_id).state).toBe('queued');
    expect(count(store, 'workflow_runs')).toBe(runsBefore);
    store.close();
  });

  it('gives a change listener that writes its own transaction, rolled back whole when it fails', () => {
    const { store } = openStore();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let written: string | null = null;
    const stop = store.onChange(() => {
      if (written) return;
      store.transaction(() => {
        written = job(store).job_id;
        throw new Error('the listener gives up after its first write');
      });
    });
    const first = job(store);
    stop();
    logged.mockRestore();
    expect(written).not.toBeNull();
    expect(count(store, 'ai_jobs')).toBe(1);
    expect(store.getJob(first.job_id).state).toBe('queued');
    expect(errorOf(() => store.getJob(written!)).code).toBe('HSK-404-NOT-FOUND');
    store.close();
  });

  it('commits an open group before a plain transaction, so the plain write is durable on return', async () => {
    const { store } = openStore();
    const a = job(store);
    const group = store.groupTransaction(() => store.startRun(a.job_id));
    store.transitionJob(job(store).job_id, 'cancelled', 'operator', 'cancelled_by_operator');
    expect(dbOf(store).inTransaction).toBe(false);
    await expect(group.durable).resolves.toBeUndefined();
    store.close();
  });

  it('inside a plain transaction, reports durable only after that transaction commits', async () => {
    const { store } = openStore();
    const a = job(store);
    const order: string[] = [];
    store.transaction(() => {
      const { durable } = store.groupTransaction(() => store.startRun(a.job_id));
      void durable.then(() => order.push('durable'));
      order.push('outer work done');
    });
    await Promise.resolve();
    expect(order).toEqual(['outer work done', 'durable']);
  });

  it('rejects the writers of a plain transaction that rolled back, and announces nothing', async () => {
    const { store } = openStore();
    const a = job(store);
    const announced: string[] = [];
    store.onChange((change) => announced.push(change.kind));
    let durable: Promise<void> | null = null;
    expect(() =>
      store.transaction(() => {
        durable = store.groupTransaction(() => store.startRun(a.job_id)).durable;
        throw new Error('outer work failed');
      }),
    ).toThrow('outer work failed');
    await expect(durable!).rejects.toThrow('outer work failed');
    expect(store.getJob(a.job_id).state).toBe('queued');
    expect(announced).toEqual([]);
  });

  it('rejects every writer of a group whose COMMIT fails, rolls it back and announces nothing', async () => {
    const { store } = openStore();
    const a = job(store);
    const announced: string[] = [];
    store.onChange((change) => announced.push(change.kind));
    const started = store.groupTransaction(() => store.startRun(a.job_id));
    // A deferred foreign-key violation is checked only at COMMIT, which then fails.
    store.groupTransaction(() => {
      dbOf(store).pragma('defer_foreign_keys = ON');
      dbOf(store).prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason, last_heartbeat, created_at, updated_at)
        VALUES (?, ?, 1, 'running', 'running', 0, 0, 0)`).run(randomUUID(), randomUUID());
    });
    await expect(started.durable).rejects.toThrow(/FOREIGN KEY/);
    expect(dbOf(store).inTransaction).toBe(false);
    expect(store.getJob(a.job_id).state).toBe('queued');
    expect(announced).toEqual([]);
    store.close();
  });
});

describe('free text is stored redacted', () => {
  it('redacts status_reason and error_message of jobs, runs and nodes, and keeps job_inputs as submitted', () => {
    const { store } = openStore();
    const inputs = { text: 'token=abcd1234 for ada@example.org' };
    const job = store.createJob(parsedJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: inputs }), OPTIONS);
    const { run } = store.startRun(job.job_id);
    const node = store.startNode(run.workflow_run_id, { node_id: 'n', node_type: 'doc_edit', sequence: 0 });
    store.finishNode(node.node_execution_id, { status: 'failed', reason: 'mailed ada@example.org', error_message: 'password=hunter22' });
    const failed = store.finishRun(run.workflow_run_id, {
      status: 'failed',
      reason: 'bad key sk-abcdefghijklmnopqrstu',
      cause: 'engine',
      patch: { error_message: 'see /home/ada/secret.txt' },
    });
    expect(failed).toMatchObject({
      status_reason: 'bad key [REDACTED:secret_api_key:openai_style_key]',
      error_message: 'see [REDACTED:path_absolute:home_dir]',
      job_inputs: inputs,
    });
    const stored = store.getRun(run.workflow_run_id);
    expect(stored.status_reason).toBe('bad key [REDACTED:secret_api_key:openai_style_key]');
    expect(stored.nodes[0]).toMatchObject({ status_reason: 'mailed [REDACTED:pii_email:email]', error_message: '[REDACTED:secret_password:assignment]' });
  });
});
