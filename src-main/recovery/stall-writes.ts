/**
 * The writes only startup recovery makes: finding running runs and stalling one — the run, its
 * running nodes, its job (running -> stalled, cause recovery) and the workflow_recovery event
 * (actor system) that records the change, in the caller's transaction. Nothing else sets `stalled`.
 */
import type { ProcessRecoveryAction } from '../../src-shared/events';
import type { AiJob } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';
import type { ProcessRow } from '../store/processes';
import type { RunRow } from '../store/rows';
import type { Store, StoreAccess } from '../store/store';

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
      runById: db.prepare('SELECT * FROM workflow_runs WHERE workflow_run_id = ?'),
      stallRun: db.prepare(`UPDATE workflow_runs SET status = 'stalled', status_reason = @status_reason,
        updated_at = @now WHERE workflow_run_id = @workflow_run_id`),
      markRecovered: db.prepare(
        "INSERT INTO app_meta(key, value) VALUES ('last_recovery_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ),
      stallNodes: db.prepare(`UPDATE workflow_node_executions SET status = 'stalled', status_reason = @status_reason,
        finished_at = @now WHERE workflow_run_id = @workflow_run_id AND status = 'running'`),
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
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    db.pragma('synchronous = NORMAL');
    try {
      return this.access.transaction(work);
    } finally {
      db.pragma(`synchronous = ${synchronous}`);
    }
  }

  /** A commit at the connection's own setting (FULL in the app): every batch before it is on disk. */
  makeDurable(): void {
    this.access.transaction(() => this.sql.markRecovered.run(String(this.access.now())));
  }

  /** Stalls one run if it is still running; returns its job, or null when there was nothing to do. */
  stallRun(stall: Stall): AiJob | null {
    const { jobs, now: clock } = this.access;
    return this.access.transaction(() => {
      const run = this.sql.runById.get(stall.runId) as RunRow | undefined;
      if (!run || run.status !== 'running') return null;
      const now = clock();
      this.sql.stallRun.run({ workflow_run_id: stall.runId, status_reason: stall.reason, now });
      this.sql.stallNodes.run({ workflow_run_id: stall.runId, status_reason: stall.reason, now });
      const job = jobs.row(run.job_id);
      const recoveryEvent = {
        type: 'workflow_recovery',
        actor: 'system',
        actor_id: 'startup_recovery',
        trace_id: job.trace_id,
        job_id: run.job_id,
        workflow_run_id: stall.runId,
        payload: {
          workflow_run_id: stall.runId,
          job_id: run.job_id,
          from_state: 'running',
          to_state: 'stalled',
          reason: stall.reason,
          last_heartbeat_ts: toRfc3339(run.last_heartbeat),
          threshold_secs: stall.thresholdSecs,
        },
      } as const;
      // A job whose row is not `running` (e.g. imported legacy data) keeps its state; the run is
      // still stalled and recorded. workflow_recovery is the record of running -> stalled
      // (FR-EVT-WF-RECOVERY), so there is no second, generic event.
      if (job.status !== 'running') {
        this.access.appendEvent(recoveryEvent);
        return this.access.announceJob(job);
      }
      const stalled = jobs.transition({
        job,
        to: 'stalled',
        cause: 'recovery',
        reason: stall.reason,
        patch: { error_message: stall.message },
        workflowRunId: stall.runId,
        event: () => recoveryEvent,
      });
      return this.access.announceJob(stalled);
    });
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
   * Many stalls commit in a few large transactions; checkpointing the WAL inside them would make
   * start-up wait for it. Returns a function that restores the setting and checkpoints once,
   * off the critical path.
   */
  deferCheckpoints(): () => void {
    const { db } = this.access;
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    return () => {
      if (!db.open) return;
      db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
      setImmediate(() => {
        if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
      });
    };
  }
}
