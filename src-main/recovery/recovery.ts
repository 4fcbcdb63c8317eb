/**
 * Startup recovery (HSK-WF-003). Runs after migrations and before any job is accepted. First it
 * ends the process groups interrupted runs left alive (orphan-processes.ts), so no stalled job can
 * be resumed while its first attempt still runs. Then every run left `running` whose heartbeat is
 * more than 30 s old becomes `stalled`, with its job and one workflow_recovery event (actor
 * system), in small transactions spread over event-loop turns: both hosts keep answering while a
 * large recovery runs.
 *
 * One process owns a data dir (lock file), so at start no run can legitimately be running: a run
 * with a fresher heartbeat is an orphan too. Recovery waits until it passes the threshold and
 * stalls it the same way, so nothing but this loop ever sets `stalled` and no orphan stays
 * `running` forever (the gap the original left open, spec-digest A-19).
 *
 * The stalls' Diagnostics (a derived record: the Problems view) are written once intake is open,
 * in the same time-sliced batches; the range still to do is durable, so a crash never loses them.
 */
import type { RecoveryStatus } from '../../src-shared/ipc';
import type { Store } from '../store/store';
import { endOrphanProcesses, PROCESS_GRACE_MS } from './orphan-processes';
import { StallWrites, type RunningRun } from './stall-writes';

export const STALL_THRESHOLD_MS = 30_000;
/**
 * A batch is one transaction (atomic, one fsync) and one slice of the event loop: it stalls runs
 * until this much time has passed, then commits and yields, so other work (requests) runs between
 * batches.
 */
const BATCH_BUDGET_MS = 10;
/** A starved process (a busy machine) still makes progress: a batch never holds fewer runs than this. */
const BATCH_MIN_RUNS = 20;
const BATCH_MAX_RUNS = 1_000;
/**
 * The first chunk of a pass is small: a cold start (page cache, first use of each statement)
 * costs it about 18 ms whatever its size, and 20 runs on top of that held the loop for 39 ms.
 */
const FIRST_CHUNK_RUNS = 4;

/**
 * Event-loop turns between two batches. One turn serves one step of each request in flight (read
 * it, answer it, send the answer are separate I/O steps, each waiting for a poll phase); with a
 * batch in every turn a request waited for several batches. Two turns halve that wait, and an
 * idle turn costs microseconds.
 */
const TURNS_BETWEEN_BATCHES = 2;

/** Lets the event loop serve I/O (requests) before the next batch. */
async function nextTurn(): Promise<void> {
  for (let turn = 0; turn < TURNS_BETWEEN_BATCHES; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

export type RecoveryReason = 'heartbeat_timeout_after_crash' | 'interrupted_by_shutdown';

export interface RecoveryClock {
  now(): number;
  wait(ms: number): Promise<void>;
}

export const systemClock: RecoveryClock = {
  now: () => Date.now(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RecoveryOptions {
  reason: RecoveryReason;
  thresholdMs?: number;
  clock?: RecoveryClock;
  onProgress?: (status: RecoveryStatus) => void;
  /** How long an orphaned process group gets between SIGTERM and SIGKILL. */
  processGraceMs?: number;
}

/**
 * The job's error_message for a stall: the fact, short. What to do about it (resume, fail or
 * cancel) is the Explain panel's sentence, which has the recovery event to hand. Kept short on
 * purpose: the message widens the job's row, and a row that no longer fits its page splits it
 * (four or five pages rewritten instead of one); 5,000 stalls with the longer wording wrote twice
 * the log.
 */
function explain(reason: RecoveryReason, silentSecs: number): string {
  const cause = reason === 'interrupted_by_shutdown' ? 'the app was shut down' : 'the app stopped unexpectedly';
  return `No heartbeat for ${silentSecs} s: ${cause} while this job ran.`;
}

export class StartupRecovery {
  private readonly thresholdMs: number;
  private readonly clock: RecoveryClock;
  private current: RecoveryStatus = {
    state: 'pending',
    stalled_count: 0,
    waiting_count: 0,
    ready_in_ms: 0,
    recovered_job_ids: [],
    error: null,
  };

  private readonly writes: StallWrites;
  /**
   * What a batch's commit is expected to take, learnt from the last ones (writing the batch's
   * pages to the log: 1-8 ms on this machine), so a batch's work and its commit together stay
   * within BATCH_BUDGET_MS instead of the commit coming on top of it.
   */
  private commitMs = 2;

  constructor(
    store: Store,
    private readonly options: RecoveryOptions,
  ) {
    this.writes = StallWrites.of(store);
    this.thresholdMs = options.thresholdMs ?? STALL_THRESHOLD_MS;
    this.clock = options.clock ?? systemClock;
  }

  private readyAt = 0;

  /** The checkpoint recovery deferred, once recovery has ended (for tests and benchmarks to await). */
  checkpointed: Promise<void> = Promise.resolve();

  /**
   * The stalls' Diagnostics, written after intake opens (and any a crash left unwritten); resolves
   * when they are all stored, or when writing them failed (they then wait for the next start).
   */
  diagnosed: Promise<void> = Promise.resolve();

  /** The status now: `ready_in_ms` counts down while recovery waits for fresh orphans. */
  status(): RecoveryStatus {
    const readyInMs = this.current.state === 'running' ? Math.max(0, this.readyAt - this.clock.now()) : 0;
    return { ...this.current, ready_in_ms: readyInMs, recovered_job_ids: [...this.current.recovered_job_ids] };
  }

  private update(patch: Partial<RecoveryStatus>): void {
    this.current = { ...this.current, ...patch };
    this.options.onProgress?.(this.status());
  }

  /**
   * Stalls one batch, from `start`, within the time budget; returns where the next batch starts.
   * A batch is written set by set (stallRuns), in chunks: the first is small, and each next one is
   * sized by how long the chunks so far took per run.
   */
  private stallBatch(stale: RunningRun[], start: number, now: number): number {
    const began = performance.now();
    const budget = Math.max(BATCH_BUDGET_MS / 2, BATCH_BUDGET_MS - this.commitMs);
    let next = start;
    let workDone = began;
    const jobIds = this.writes.batch(() => {
      const stalled: string[] = [];
      let chunk = start === 0 ? FIRST_CHUNK_RUNS : BATCH_MIN_RUNS;
      while (next < stale.length && next - start < BATCH_MAX_RUNS) {
        const runs = stale.slice(next, Math.min(next + chunk, start + BATCH_MAX_RUNS));
        next += runs.length;
        const jobIds = this.writes.stallRuns(
          runs.map((run) => ({
            runId: run.workflow_run_id,
            reason: this.options.reason,
            thresholdSecs: this.thresholdMs / 1000,
            message: explain(this.options.reason, Math.round((now - run.last_heartbeat) / 1000)),
          })),
        );
        stalled.push(...jobIds);
        const spent = performance.now() - began;
        const left = budget - spent;
        if (left <= 0) break;
        // Sized to fill most of what is left at the pace so far, and at most double the last chunk,
        // so a slow patch (a busy machine, a cold page cache) overshoots the budget little.
        const fits = Math.floor(0.8 * (left / spent) * (next - start));
        chunk = Math.max(BATCH_MIN_RUNS, Math.min(2 * runs.length, fits));
      }
      workDone = performance.now();
      return stalled;
    });
    this.commitMs = 0.7 * this.commitMs + 0.3 * (performance.now() - workDone);
    this.update({
      stalled_count: this.current.stalled_count + jobIds.length,
      recovered_job_ids: [...this.current.recovered_job_ids, ...jobIds].slice(0, 1000),
    });
    return next;
  }

  /** Stalls every run that is stale now, batch by batch; returns how many fresh orphans remain and when the oldest goes stale. */
  private async stallStale(): Promise<{ waiting: number; nextStaleInMs: number }> {
    const now = this.clock.now();
    const running = this.writes.runningRuns();
    const stale = running.filter((run) => now - run.last_heartbeat > this.thresholdMs);
    // Reading the list is a slice of its own (about 10 ms for 5,000 runs among 1,000,000).
    if (stale.length > 0) await nextTurn();
    for (let start = 0; start < stale.length; ) {
      start = this.stallBatch(stale, start, now);
      this.writes.flushAhead();
      await nextTurn();
    }
    const fresh = running.filter((run) => now - run.last_heartbeat <= this.thresholdMs);
    const oldestFresh = fresh[0]?.last_heartbeat;
    return {
      waiting: fresh.length,
      nextStaleInMs: oldestFresh === undefined ? 0 : oldestFresh + this.thresholdMs + 1 - now,
    };
  }

  /**
   * Writes the Diagnostics the stalls left for later, batch by batch between requests, each batch
   * sized by the pace of the last to about BATCH_BUDGET_MS. A failure leaves the rest recorded as
   * waiting (deferred.ts), for the next start; it is reported, not thrown: the jobs are recovered.
   */
  private async diagnoseStalls(): Promise<void> {
    let limit = BATCH_MIN_RUNS;
    try {
      for (;;) {
        await nextTurn();
        const began = performance.now();
        const done = this.writes.diagnoseBatch(limit);
        if (done < limit) return;
        const spent = Math.max(0.1, performance.now() - began);
        limit = Math.max(BATCH_MIN_RUNS, Math.min(2 * limit, BATCH_MAX_RUNS, Math.floor((0.8 * BATCH_BUDGET_MS * done) / spent)));
      }
    } catch (error) {
      console.error(`startup recovery: the stalls' Diagnostics wait for the next start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Runs to completion; rejects (state failed) on a storage error. */
  async run(): Promise<RecoveryStatus> {
    this.update({ state: 'running' });
    const restoreCheckpoints = this.writes.deferCheckpoints();
    try {
      await endOrphanProcesses(this.writes, this.options.processGraceMs ?? PROCESS_GRACE_MS);
      for (;;) {
        const { waiting, nextStaleInMs } = await this.stallStale();
        this.readyAt = this.clock.now() + Math.max(0, nextStaleInMs);
        this.update({ waiting_count: waiting });
        if (waiting === 0) break;
        await this.clock.wait(Math.max(1, nextStaleInMs));
      }
      // The batches are on disk before intake opens (HSK-WF-003: recovery completes first).
      await this.writes.makeDurable();
      this.update({ state: 'complete', waiting_count: 0, ready_in_ms: 0 });
      this.diagnosed = this.diagnoseStalls();
      return this.status();
    } catch (error) {
      this.update({ state: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      // After the Diagnostics: while their batches run, the log only grows, and they would pay
      // for the checkpoint it triggers (a 190-220 ms batch after 5,000 stalls).
      this.checkpointed = this.diagnosed.then(restoreCheckpoints).catch((error: unknown) => {
        console.error(`startup recovery: the WAL checkpoint is left to the next one: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }
}
