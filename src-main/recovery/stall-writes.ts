/**
 * The writes only startup recovery makes: finding running runs and stalling one — the run, its
 * running nodes, its job (running -> stalled, cause recovery) and the workflow_recovery event
 * (actor system) that records the change, in the caller's transaction; then, once intake is open,
 * the stalls' Diagnostics. Nothing else sets `stalled`.
 */
import type { EventDraft, ProcessRecoveryAction } from '../../src-shared/events';
import type { AiJob } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';
import { checkTransition } from '../../src-shared/transitions';
import { redactStoredText } from '../security/redact';
import { storedMessage } from '../store/jobs';
import { checkpointOffThread, flushWal, LARGE_WAL_BYTES, walSize } from '../db/wal';
import { isBusyError } from '../db/sqlite-errors';
import type { ProcessRow } from '../store/processes';
import { toJob, type JobRow } from '../store/rows';
import type { Store, StoreAccess } from '../store/store';

/** Off-thread checkpoints after a large recovery, each taking what was written during the last. */
const MAX_CHECKPOINT_ROUNDS = 8;
/** How much log the batches write between two background flushes (flushAhead). */
const FLUSH_AHEAD_BYTES = 16 * 1024 * 1024;

export interface RunningRun {
  workflow_run_id: string;
  job_id: string;
  last_heartbeat: number;
}

export interface Stall {
  runId: string;
  reason: string;
  thresholdSecs: number;
  /** The job's error_message: the stall in words, for the person who finds it. */
  message: string;
}

export class StallWrites {
  private readonly sql;

  constructor(private readonly access: StoreAccess) {
    const { db } = access;
    this.sql = {
      // Reads the partial index of running runs only, never the history.
      runningRuns: db.prepare(
        "SELECT workflow_run_id, job_id, last_heartbeat FROM workflow_runs WHERE status = 'running' ORDER BY last_heartbeat ASC",
      ),
      // The runs named that are still running, in one statement (json_each keeps it one prepared statement).
      stallRuns: db.prepare(`UPDATE workflow_runs SET status = 'stalled', status_reason = @status_reason, updated_at = @now
        WHERE workflow_run_id IN (SELECT value FROM json_each(@ids)) AND status = 'running'
        RETURNING workflow_run_id, job_id, last_heartbeat`),
      // Only the columns a stall changes, so no other index or CHECK is touched; null unless running.
      stallJob: db.prepare(`UPDATE ai_jobs SET status = 'stalled', status_reason = @status_reason,
        error_message = @error_message, updated_at = @now, completed_at = NULL
        WHERE job_id = @job_id AND status = 'running' RETURNING rowid, *`),
      markRecovered: db.prepare(
        "INSERT INTO app_meta(key, value) VALUES ('last_recovery_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ),
      stallNodes: db.prepare(`UPDATE workflow_node_executions SET status = 'stalled', status_reason = @status_reason,
        finished_at = @now WHERE workflow_run_id IN (SELECT value FROM json_each(@ids)) AND status = 'running'`),
    };
  }

  static of(store: Store): StallWrites {
    return store.attach((access) => new StallWrites(access));
  }

  runningRuns(): RunningRun[] {
    return this.sql.runningRuns.all() as RunningRun[];
  }

  /**
   * One batch of stalls, committed without its own fsync (synchronous = NORMAL for this commit
   * only): hundreds of small batches would otherwise each wait for the disk while the hosts wait
   * for the event loop. Any later FULL commit fsyncs the log with these frames in it, and recovery
   * ends with one (`makeDurable`) before intake opens; a batch lost to a power cut is redone by
   * the next start.
   */
  batch<T>(work: () => T): T {
    const { db } = this.access;
    // A group commit of the engine's may be open (the Diagnostics batches run while the app
    // serves): it commits first, at its own durability, since its writers act once it is durable.
    this.access.commitGroup();
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    db.pragma('synchronous = NORMAL');
    try {
      return this.access.transaction(work);
    } finally {
      db.pragma(`synchronous = ${synchronous}`);
    }
  }

  /** The background flush of the log in flight, and how large the log was when it started. */
  private flushing: Promise<void> | null = null;
  private flushedBytes = 0;

  /**
   * Starts an fsync of the log on libuv's thread pool once another FLUSH_AHEAD_BYTES of batches
   * have been written since the last one, and returns at once: the disk works on the frames while
   * the next batches are built, instead of all at the end. Durability still comes from
   * `makeDurable`; a flush that fails is left to it.
   */
  flushAhead(): void {
    const { db } = this.access;
    if (db.memory || this.flushing) return;
    const size = walSize(db.name);
    if (size - this.flushedBytes < FLUSH_AHEAD_BYTES) return;
    this.flushedBytes = size;
    this.flushing = flushWal(db.name)
      .catch(() => undefined)
      .finally(() => (this.flushing = null));
  }

  /**
   * A commit at the connection's own setting (FULL in the app): every batch before it is on disk.
   * A large log (many batches) is flushed off the event loop first, so this commit's own fsync is
   * short; a small one is synced by the commit itself, without the extra turn through the pool.
   */
  async makeDurable(): Promise<void> {
    const { db } = this.access;
    await this.flushing;
    if (!db.memory && walSize(db.name) - this.flushedBytes >= LARGE_WAL_BYTES) await flushWal(db.name);
    this.access.transaction(() => this.sql.markRecovered.run(String(this.access.now())));
  }

  /** Stalls one run if it is still running; returns its job, or null when there was nothing to do. */
  stallRun(stall: Stall): AiJob | null {
    const [jobId] = this.stallRuns([stall]);
    return jobId === undefined ? null : toJob(this.access.jobs.row(jobId));
  }

  /**
   * Stalls the runs that are still running, set by set in the caller's transaction: their runs
   * and running nodes in one statement each, each job running -> stalled (cause recovery) with its
   * workflow_recovery event; the events' Diagnostics wait for diagnoseBatch. Returns the jobs' ids,
   * in order. The jobs are announced from their rows, parsed only if a listener reads them: a
   * damaged row (unreadable inputs, say) is stalled like any other instead of failing recovery,
   * and recovery before a host subscribes pays no parse (about 15 us a job, 75-180 ms of 5,000).
   */
  stallRuns(stalls: readonly Stall[]): string[] {
    if (stalls.length === 0) return [];
    const legal = checkTransition('running', 'stalled', 'recovery');
    if (!legal.ok) throw new Error(`the transition table no longer lets recovery stall a job: ${legal.reason}`);
    const { jobs, now: clock } = this.access;
    return this.access.transaction(() => {
      const now = clock();
      const byRun = new Map(stalls.map((stall) => [stall.runId, stall]));
      // One reason per pass in practice; grouped so a mixed call still stores each run's own.
      const runs: RunningRun[] = [];
      for (const [reason, ids] of Map.groupBy(stalls, (stall) => stall.reason)) {
        const params = { ids: JSON.stringify(ids.map((stall) => stall.runId)), status_reason: reason, now };
        runs.push(...(this.sql.stallRuns.all(params) as RunningRun[]));
        this.sql.stallNodes.run(params);
      }
      const rows: JobRow[] = [];
      const events: EventDraft[] = [];
      // Runs of one pass share their few reasons and messages: each is redacted once.
      const stored = new Map<string, string | null>();
      const redacted = (text: string, redact: (text: string) => string | null) => {
        if (!stored.has(text)) stored.set(text, redact(text));
        return stored.get(text)!;
      };
      for (const run of runs) {
        const stall = byRun.get(run.workflow_run_id)!;
        // A job whose row is not `running` (e.g. imported legacy data) keeps its state; the run is
        // still stalled and recorded. workflow_recovery is the record of running -> stalled
        // (FR-EVT-WF-RECOVERY), so there is no second, generic event.
        const job =
          (this.sql.stallJob.get({
            job_id: run.job_id,
            status_reason: redacted(stall.reason, redactStoredText),
            error_message: redacted(stall.message, storedMessage),
            now,
          }) as JobRow | undefined) ?? jobs.row(run.job_id);
        rows.push(job);
        events.push({
          type: 'workflow_recovery',
          actor: 'system',
          actor_id: 'startup_recovery',
          trace_id: job.trace_id,
          job_id: job.job_id,
          workflow_run_id: run.workflow_run_id,
          payload: {
            workflow_run_id: run.workflow_run_id,
            job_id: job.job_id,
            from_state: 'running',
            to_state: 'stalled',
            reason: stall.reason,
            last_heartbeat_ts: toRfc3339(run.last_heartbeat),
            threshold_secs: stall.thresholdSecs,
          },
        });
      }
      // Built from the rows just written and the pass's own reason and threshold: checked values.
      // Their Diagnostics are written once intake is open (diagnoseBatch), not on the way to it.
      this.access.appendCheckedEvents(events, undefined, { diagnoseLater: true });
      for (const row of rows) this.access.announceJobRow(row);
      return rows.map((row) => row.job_id);
    });
  }

  /**
   * Writes the Diagnostics of up to `limit` stalls recorded without them (this pass's or one a
   * crash interrupted), in one batch like `batch`; returns how many stalls it handled, 0 when none
   * wait or the store has closed.
   */
  diagnoseBatch(limit: number): number {
    if (!this.access.db.open) return 0;
    return this.batch(() => this.access.diagnoseDeferred(limit));
  }

  /** Process groups executors recorded and that were never seen to end. */
  openProcesses(): ProcessRow[] {
    return this.access.processes.open();
  }

  /** Closes a process record with what recovery did, and records it (process_recovery, actor system). */
  recordProcessRecovery(row: ProcessRow, action: ProcessRecoveryAction): void {
    const { processes, jobs, runs } = this.access;
    this.access.transaction(() => {
      const job = jobs.row(runs.row(row.workflow_run_id).job_id);
      processes.end(row.process_id, `recovery: ${action}`);
      this.access.appendEvent({
        type: 'process_recovery',
        actor: 'system',
        actor_id: 'startup_recovery',
        trace_id: job.trace_id,
        job_id: job.job_id,
        workflow_run_id: row.workflow_run_id,
        payload: {
          workflow_run_id: row.workflow_run_id,
          node_execution_id: row.node_execution_id,
          pid: row.pid,
          pgid: row.pgid,
          command: row.command.slice(0, 4_096),
          action,
        },
      });
    });
  }

  /**
   * Many stalls commit in many small transactions; checkpointing the WAL among them would make
   * start-up wait for it. Returns a function that restores the setting and checkpoints once, off
   * the critical path: in place when the log is small, in a worker thread when it is large (a
   * checkpoint of 5,000 stalls in a 1,000,000-job history took 680 ms on the main thread).
   * It resolves when that checkpoint is done; a checkpoint that fails leaves the log to the next one.
   */
  deferCheckpoints(): () => Promise<void> {
    const { db } = this.access;
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    return async () => {
      if (!db.open) return;
      if (!db.memory && walSize(db.name) >= LARGE_WAL_BYTES) {
        // Automatic checkpoints stay off until the worker's is done: the next commit here (the
        // engine's first steps) would otherwise checkpoint the whole log on the main thread
        // (328 ms after 5,000 stalls). Recovery calls this once the stalls' Diagnostics are
        // written, so their batches never meet a checkpoint's end. Afterwards only what was
        // written meanwhile is left to checkpoint.
        // Frames written while a checkpoint runs are left to the next: round after round, until
        // the log is all in the database file (then the next commit starts it over) or stops shrinking.
        for (let round = 0; round < MAX_CHECKPOINT_ROUNDS && db.open; round += 1) {
          const result = await checkpointOffThread(db.name).catch(() => null);
          if (!result || result.checkpointed >= result.log) break;
        }
        if (db.open) db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
        return;
      }
      db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
      await new Promise((resolve) => setImmediate(resolve));
      // By now the connection serves requests: one inside a transaction or a statement still
      // iterating makes SQLite refuse the checkpoint (SQLITE_LOCKED). The log then waits for
      // the next automatic checkpoint, which the restored setting allows again.
      try {
        if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        if (!isBusyError(error)) throw error;
      }
    };
  }
}
