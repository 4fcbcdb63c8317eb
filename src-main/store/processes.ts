/**
 * executor_processes: the process groups executors start, recorded before the command runs and
 * marked ended when it ends, so startup recovery can find what an interrupted run left alive.
 */
import type Database from 'better-sqlite3';

export interface ProcessStartRecord {
  workflowRunId: string;
  nodeExecutionId: string | null;
  pid: number;
  pgid: number;
  startTicks: number | null;
  bootId: string | null;
  command: string;
}

export interface ProcessRow {
  process_id: number;
  workflow_run_id: string;
  node_execution_id: string | null;
  pid: number;
  pgid: number;
  start_ticks: number | null;
  boot_id: string | null;
  command: string;
  started_at: number;
}

export class ProcessTable {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.sql = {
      insert: db.prepare(`INSERT INTO executor_processes (workflow_run_id, node_execution_id, pid, pgid, start_ticks,
        boot_id, command, started_at) VALUES (@workflowRunId, @nodeExecutionId, @pid, @pgid, @startTicks, @bootId, @command, @now)`),
      end: db.prepare('UPDATE executor_processes SET ended_at = ?, end_reason = ? WHERE process_id = ? AND ended_at IS NULL'),
      open: db.prepare(`SELECT process_id, workflow_run_id, node_execution_id, pid, pgid, start_ticks, boot_id, command, started_at
        FROM executor_processes WHERE ended_at IS NULL ORDER BY process_id`),
    };
  }

  /** Records a started process group; returns its id. Caller's transaction. */
  insert(record: ProcessStartRecord): number {
    return Number(this.sql.insert.run({ ...record, now: this.now() }).lastInsertRowid);
  }

  end(processId: number, reason: string): void {
    this.sql.end.run(this.now(), reason, processId);
  }

  /** Processes never seen to end (at startup: what an interrupted run may have left alive). */
  open(): ProcessRow[] {
    return this.sql.open.all() as ProcessRow[];
  }
}
