import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type { RecoveryStatus } from '../../src-shared/ipc';
import { migrate } from '../db/migrate';
import { databasePath } from '../db/open';
import { Store } from '../store/store';
import { makeTempDir } from '../testing/temp-dir';
import { StartupRecovery, type RecoveryClock, type RecoveryReason } from './recovery';
import { count, dbOf, eventsOfType, stallRun } from '../testing/store';
import { StallWrites } from './stall-writes';
import { validateEvent } from '../flight-recorder/recorder';

const T0 = Date.UTC(2026, 0, 1);
const THRESHOLD_MS = 30_000;

/** One clock for the store and recovery; wait() advances it instantly and remembers what it saw. */
function fakeClock(start: number) {
  const clock = {
    now: start,
    waits: [] as number[],
    whileWaiting: [] as RecoveryStatus[],
    recovery: null as StartupRecovery | null,
  };
  const recoveryClock: RecoveryClock = {
    now: () => clock.now,
    wait: async (ms) => {
      clock.waits.push(ms);
      if (clock.recovery) clock.whileWaiting.push(clock.recovery.status());
      clock.now += ms;
    },
  };
  return { clock, recoveryClock };
}

function setup() {
  const { clock, recoveryClock } = fakeClock(T0);
  const dir = makeTempDir();
  const store = Store.open(dir, { now: () => clock.now });
  /** Starts `count` runs whose last heartbeat is `heartbeatAt`. */
  const runningJobs = (count: number, heartbeatAt = clock.now) => {
    const jobs = store.createJobs(
      Array.from({ length: count }, () => ({ job_kind: 'doc_edit', protocol_id: 'p' })),
      { capabilityProfileId: 'Analyst' },
    );
    return store.transaction(() =>
      jobs.map((job) => {
        const { run } = store.startRun(job.job_id);
        store.heartbeat(run.workflow_run_id, heartbeatAt);
        return { jobId: job.job_id, runId: run.workflow_run_id };
      }),
    );
  };
  const recover = (reason: RecoveryReason = 'heartbeat_timeout_after_crash') => {
    const recovery = new StartupRecovery(store, { reason, thresholdMs: THRESHOLD_MS, clock: recoveryClock });
    clock.recovery = recovery;
    return recovery;
  };
  return { dir, store, clock, runningJobs, recover };
}

/** The range of events whose Diagnostics are still to be written (deferred.ts), or null. */
function pendingDiagnostics(store: Store): unknown {
  return dbOf(store).prepare("SELECT value FROM app_meta WHERE key = 'diagnostics_deferred'").pluck().get() ?? null;
}

function recoveryEvents(store: Store) {
  return eventsOfType(store, 'workflow_recovery');
}

describe('startup recovery', () => {
  it('stalls a stale run, its job and its running nodes, with one workflow_recovery event', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const [entry] = runningJobs(1, T0 - 500);
    const { jobId, runId } = entry ?? { jobId: '', runId: '' };
    store.startNode(runId, { node_id: 'n1', node_type: 'llm', sequence: 0 });
    clock.now = T0 + 45_000;

    const status = await recover().run();

    expect(status).toMatchObject({ state: 'complete', stalled_count: 1, waiting_count: 0, ready_in_ms: 0, recovered_job_ids: [jobId] });
    const job = store.getJob(jobId);
    expect(job).toMatchObject({ state: 'stalled', status_reason: 'heartbeat_timeout_after_crash', completed_at: null });
    expect(job.error_message).toMatch(/No heartbeat for 46 s: the app stopped unexpectedly/);
    const run = store.getRun(runId);
    expect(run).toMatchObject({ status: 'stalled', status_reason: 'heartbeat_timeout_after_crash' });
    expect(run.nodes.map((node) => node.status)).toEqual(['stalled']);

    const events = recoveryEvents(store);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'system', job_id: jobId, workflow_run_id: runId, trace_id: job.trace_id });
    expect(events[0]?.payload).toEqual({
      workflow_run_id: runId,
      job_id: jobId,
      from_state: 'running',
      to_state: 'stalled',
      reason: 'heartbeat_timeout_after_crash',
      last_heartbeat_ts: new Date(T0 - 500).toISOString(),
      threshold_secs: 30,
    });
    expect(events[0]?.payload.last_heartbeat_ts).toBe(run.last_heartbeat);
    // workflow_recovery is the record of running -> stalled: no second, generic event for it.
    const stallEvents = eventsOfType(store, 'job_state_changed', jobId).filter((event) => event.payload.to_state === 'stalled');
    expect(stallEvents).toEqual([]);
  });

  it('stalls a job whose row is damaged like any other, and announces the stalls without parsing them first', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const [damaged, valid] = runningJobs(2, T0 - 500);
    const db = dbOf(store);
    db.pragma('ignore_check_constraints = ON');
    db.prepare("UPDATE ai_jobs SET metrics = '{\"duration_ms\": -1}' WHERE job_id = ?").run(damaged!.jobId);
    db.pragma('ignore_check_constraints = OFF');
    const heard: Array<{ job_id: string; state: string }> = [];
    store.onChange((change) => {
      if (change.kind === 'job') heard.push({ job_id: change.job_id, state: change.state });
    });
    clock.now = T0 + 45_000;

    // The damaged row used to be parsed inside the batch, which failed and kept intake closed.
    const status = await recover().run();

    expect(status).toMatchObject({ state: 'complete', stalled_count: 2 });
    expect(heard).toEqual([
      { job_id: damaged!.jobId, state: 'stalled' },
      { job_id: valid!.jobId, state: 'stalled' },
    ]);
    expect(store.getJob(valid!.jobId).state).toBe('stalled');
    expect(db.prepare('SELECT status FROM ai_jobs WHERE job_id = ?').pluck().get(damaged!.jobId)).toBe('stalled');
    expect(recoveryEvents(store).map((event) => event.job_id)).toEqual([damaged!.jobId, valid!.jobId]);
    // Read as a record, the damaged row is still refused, naming itself.
    expect(() => store.getJob(damaged!.jobId)).toThrow(/unsupported record/);
  });

  it('uses interrupted_by_shutdown as the reason after a clean stop', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const [entry] = runningJobs(1);
    clock.now += 60_000;
    await recover('interrupted_by_shutdown').run();
    const job = store.getJob(entry?.jobId ?? '');
    expect(job.status_reason).toBe('interrupted_by_shutdown');
    expect(job.error_message).toMatch(/shut down/);
    expect(recoveryEvents(store)[0]?.payload.reason).toBe('interrupted_by_shutdown');
  });

  it('does not treat a run exactly 30 s old as stale: it waits 1 ms more', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const [entry] = runningJobs(1);
    clock.now += THRESHOLD_MS;
    const recovery = recover();
    await recovery.run();
    expect(clock.waits).toEqual([1]);
    expect(clock.whileWaiting[0]).toMatchObject({ state: 'running', waiting_count: 1, stalled_count: 0, ready_in_ms: 1 });
    expect(store.getJob(entry?.jobId ?? '').state).toBe('stalled');
  });

  it('completes at once with zero counts when no run is running', async () => {
    const { store, runningJobs, recover } = setup();
    const [entry] = runningJobs(1);
    store.finishRun(entry?.runId ?? '', { status: 'completed', reason: 'ok', cause: 'engine' });
    store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, { capabilityProfileId: 'Analyst' });
    const before = count(store, 'fr_events');
    const { clock } = setup();
    const status = await recover().run();
    expect(status).toEqual({ state: 'complete', stalled_count: 0, waiting_count: 0, ready_in_ms: 0, recovered_job_ids: [], error: null });
    expect(clock.waits).toEqual([]);
    expect(count(store, 'fr_events')).toBe(before);
    expect(store.getJob(entry?.jobId ?? '').state).toBe('completed');
  });

  it('stalls many (2,000) stale runs, each exactly once', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const entries = runningJobs(2_000);
    clock.now += 31_000;
    const recovery = recover();
    const status = await recovery.run();
    expect(status.stalled_count).toBe(2_000);
    await recovery.diagnosed;
    expect(store.listJobs({ state: ['running'] }).items).toEqual([]);
    expect(store.listJobs({ state: ['stalled'], limit: 500 }).items).toHaveLength(500);
    const stalledRuns = dbOf(store).prepare("SELECT count(*) AS n FROM workflow_runs WHERE status = 'stalled'").get();
    expect(stalledRuns).toEqual({ n: entries.length });
    const perRun = dbOf(store)
      .prepare("SELECT count(*) AS n FROM fr_events WHERE type = 'workflow_recovery' GROUP BY workflow_run_id HAVING n <> 1")
      .all();
    expect(perRun).toEqual([]);
    // created, run started, running, workflow_recovery (the stall's one event) and the
    // `diagnostic` event of the recovery's Diagnostic: five per job.
    expect(count(store, 'fr_events')).toBe(2_000 * 5);
    expect(dbOf(store).prepare('SELECT count(*) FROM diagnostics').pluck().get()).toBe(2_000);
    // Written set based from checked values, without the per-event parse: each still passes it.
    const written = dbOf(store)
      .prepare("SELECT type, actor, actor_id, trace_id, job_id, workflow_run_id, payload FROM fr_events WHERE type IN ('workflow_recovery', 'diagnostic')")
      .all() as { payload: string }[];
    expect(written).toHaveLength(4_000);
    for (const row of written) expect(() => validateEvent({ ...row, payload: JSON.parse(row.payload) })).not.toThrow();
  });

  it("writes the stalls' Diagnostics once intake is open, each once", async () => {
    const { store, clock, runningJobs, recover } = setup();
    const entries = runningJobs(300);
    clock.now += 31_000;
    const recovery = recover();
    const status = await recovery.run();
    // Intake opens on the stalls and their events; the Diagnostics follow, between requests.
    expect(status).toMatchObject({ state: 'complete', stalled_count: 300 });
    expect(recoveryEvents(store)).toHaveLength(300);
    expect(count(store, 'diagnostics')).toBe(0);
    expect(pendingDiagnostics(store)).not.toBeNull();
    await recovery.diagnosed;
    const diagnostics = dbOf(store).prepare("SELECT job_id, code, link_confidence FROM diagnostics ORDER BY job_id").all();
    expect(diagnostics).toEqual(
      entries
        .map((entry) => entry.jobId)
        .sort()
        .map((jobId) => ({ job_id: jobId, code: 'heartbeat_timeout_after_crash', link_confidence: 'direct' })),
    );
    expect(eventsOfType(store, 'diagnostic')).toHaveLength(300);
    expect(store.listProblems({}).items).toMatchObject([{ count: 300, code: 'heartbeat_timeout_after_crash' }]);
    expect(pendingDiagnostics(store)).toBeNull();
  });

  it("a crash before the stalls' Diagnostics are written: the next start writes them, once", async () => {
    const { dir, store, clock, runningJobs, recover } = setup();
    runningJobs(50);
    clock.now += 31_000;
    const first = recover();
    await first.run();
    // The process dies at once: the stalls are durable, their Diagnostics not yet written.
    store.close();
    await first.diagnosed;
    const reopened = Store.open(dir, { now: () => clock.now });
    try {
      expect(count(reopened, 'diagnostics')).toBe(0);
      const second = new StartupRecovery(reopened, { reason: 'heartbeat_timeout_after_crash', thresholdMs: THRESHOLD_MS, clock: fakeClock(clock.now).recoveryClock });
      expect(await second.run()).toMatchObject({ state: 'complete', stalled_count: 0 });
      await second.diagnosed;
      expect(count(reopened, 'diagnostics')).toBe(50);
      expect(eventsOfType(reopened, 'diagnostic')).toHaveLength(50);
      expect(pendingDiagnostics(reopened)).toBeNull();
      // A third start finds nothing waiting and writes nothing.
      const before = count(reopened, 'fr_events');
      const third = new StartupRecovery(reopened, { reason: 'heartbeat_timeout_after_crash', thresholdMs: THRESHOLD_MS, clock: fakeClock(clock.now).recoveryClock });
      await third.run();
      await third.diagnosed;
      expect(count(reopened, 'fr_events')).toBe(before);
      expect(count(reopened, 'diagnostics')).toBe(50);
    } finally {
      reopened.close();
    }
  });

  it('waits for fresh orphans, reporting how many and how long, then stalls them', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const stale = runningJobs(1, T0 - 40_000);
    const fresh = runningJobs(2, T0 - 10_000);
    const recovery = recover();
    const progress: RecoveryStatus[] = [];
    const done = recovery.run();
    progress.push(recovery.status());
    await done;

    expect(clock.whileWaiting).toHaveLength(1);
    expect(clock.whileWaiting[0]).toMatchObject({ state: 'running', stalled_count: 1, waiting_count: 2, ready_in_ms: 20_001 });
    expect(clock.waits).toEqual([20_001]);
    expect(recovery.status()).toMatchObject({ state: 'complete', stalled_count: 3, waiting_count: 0, ready_in_ms: 0 });
    for (const { jobId } of [...stale, ...fresh]) expect(store.getJob(jobId).state).toBe('stalled');
    expect(recoveryEvents(store)).toHaveLength(3);
  });

  it('finishes the work after a crash in the middle, stalling every run exactly once', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const entries = runningJobs(2_500);
    clock.now += 60_000;
    // A stall fails late in the scan: committed batches stay, the failing batch rolls back whole.
    const original = StallWrites.prototype.stallRuns;
    let runs = 0;
    const spy = vi.spyOn(StallWrites.prototype, 'stallRuns').mockImplementation(function (this: StallWrites, ...args) {
      runs += args[0].length;
      if (runs >= 2_200) throw new Error('SQLITE_IOERR: disk I/O error');
      return original.apply(this, args);
    });
    const first = recover();
    await expect(first.run()).rejects.toThrow('disk I/O error');
    const afterCrash = first.status();
    expect(afterCrash).toMatchObject({ state: 'failed', error: 'SQLITE_IOERR: disk I/O error' });
    const stalledRuns = (dbOf(store).prepare("SELECT count(*) AS n FROM workflow_runs WHERE status = 'stalled'").get() as { n: number }).n;
    // Nothing half-done: what the status counts is exactly what is stored, each run with its event and job.
    expect(stalledRuns).toBe(afterCrash.stalled_count);
    expect(dbOf(store).prepare("SELECT count(*) AS n FROM fr_events WHERE type = 'workflow_recovery'").get()).toEqual({ n: stalledRuns });
    expect(dbOf(store).prepare("SELECT count(*) AS n FROM ai_jobs WHERE status = 'stalled'").get()).toEqual({ n: stalledRuns });
    expect(stalledRuns).toBeLessThan(entries.length);

    spy.mockRestore();
    const second = await recover().run();
    expect(second).toMatchObject({ state: 'complete', stalled_count: entries.length - stalledRuns });
    const counts = dbOf(store)
      .prepare(
        `SELECT r.workflow_run_id, r.status,
           (SELECT count(*) FROM fr_events e WHERE e.type = 'workflow_recovery' AND e.workflow_run_id = r.workflow_run_id) AS recoveries,
           (SELECT count(*) FROM fr_events e WHERE e.type = 'job_state_changed' AND e.job_id = r.job_id
              AND json_extract(e.payload, '$.to_state') = 'stalled') AS stalls
         FROM workflow_runs r`,
      )
      .all() as Array<{ status: string; recoveries: number; stalls: number }>;
    expect(counts).toHaveLength(entries.length);
    expect(counts.filter((row) => row.status !== 'stalled' || row.recoveries !== 1 || row.stalls !== 0)).toEqual([]);
  }, 120_000);

  it('stalls only what is left when an earlier start stalled part of the runs', async () => {
    const { store, clock, runningJobs, recover } = setup();
    const entries = runningJobs(10);
    clock.now += 60_000;
    for (const { runId } of entries.slice(0, 5)) stallRun(store, runId, 'heartbeat_timeout_after_crash', 30, 'earlier start');
    expect(await recover().run()).toMatchObject({ state: 'complete', stalled_count: 5 });
    expect(recoveryEvents(store)).toHaveLength(10);
    expect(new Set(recoveryEvents(store).map((event) => event.workflow_run_id)).size).toBe(10);
  });

  it('is a no-op when run again after it completed', async () => {
    const { store, clock, runningJobs, recover } = setup();
    runningJobs(3);
    clock.now += 60_000;
    await recover().run();
    const before = count(store, 'fr_events');
    expect(await recover().run()).toMatchObject({ state: 'complete', stalled_count: 0 });
    expect(count(store, 'fr_events')).toBe(before);
  });

  it('ends in state failed with the error when storage fails', async () => {
    const { recover } = setup();
    const spy = vi.spyOn(StallWrites.prototype, 'runningRuns').mockImplementation(() => {
      throw new Error('database disk image is malformed');
    });
    const recovery = recover();
    await expect(recovery.run()).rejects.toThrow('malformed');
    expect(recovery.status()).toMatchObject({ state: 'failed', error: 'database disk image is malformed' });
    spy.mockRestore();
  });

  it("commits an open group of the engine's at full durability before a batch switches to NORMAL", () => {
    const executed: string[] = [];
    const db = new Database(databasePath(makeTempDir()), { verbose: (sql) => executed.push(String(sql)) });
    migrate(db);
    db.pragma('synchronous = FULL');
    const store = new Store(db);
    const { durable } = store.groupTransaction(() => store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, { capabilityProfileId: 'Analyst' }));
    executed.length = 0;
    StallWrites.of(store).diagnoseBatch(10);
    const groupCommit = executed.indexOf('COMMIT');
    expect(groupCommit).toBeGreaterThanOrEqual(0);
    expect(groupCommit).toBeLessThan(executed.indexOf('PRAGMA synchronous = NORMAL'));
    store.close();
    return durable;
  });

  it('reads running runs from the partial index workflow_runs_running alone (covering), not the table', () => {
    const dir = makeTempDir();
    const executed: string[] = [];
    const db = new Database(databasePath(dir), { verbose: (sql) => executed.push(String(sql)) });
    migrate(db);
    const store = new Store(db);
    const writes = StallWrites.of(store);
    executed.length = 0;
    writes.runningRuns();
    expect(executed).toHaveLength(1);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${executed[0]}`).all() as Array<{ detail: string }>;
    const details = plan.map((row) => row.detail);
    expect(details.some((detail) => detail.includes('USING COVERING INDEX workflow_runs_running'))).toBe(true);
    expect(details.filter((detail) => /^SCAN workflow_runs$/.test(detail) || detail.includes('TEMP B-TREE'))).toEqual([]);
    store.close();
  });

  it('leaves the WAL checkpoint to the next one when the connection is inside a transaction by then (no unhandled rejection)', async () => {
    const { store, runningJobs, recover } = setup();
    runningJobs(3);
    const db = dbOf(store);
    const recovery = recover();
    await recovery.run();
    await recovery.diagnosed;
    // A request's transaction is open on the connection when the deferred checkpoint runs.
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('probe', 'x')").run();
    await expect(recovery.checkpointed).resolves.toBeUndefined();
    db.exec('COMMIT');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(0);
    store.close();
  });
});

