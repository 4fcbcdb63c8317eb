/**
 * The bulk of a large seed: copies of batches the engine has just run live in the same data dir.
 * A copy is the batch's jobs, runs, node executions, Flight Recorder events, Diagnostics and
 * artifact files, every id new (UUIDv7 at the copy's time, replaced wherever the batch's own ids
 * appear, payloads included) and every time moved by one offset. Each copy is then exactly as
 * consistent as the engine made the original: events inside their job's and run's spans,
 * durations equal to spans, timestamps never decreasing along the log. Rows go in through the
 * store's set-based writes (JobTable.insertRows, appendEventCopies, multi-row inserts); the
 * triggers (per-state counts, the search backlog) fire per row as for any insert.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { MultiRowInsert } from '../db/multi-row-insert';
import { uuidv7 } from '../db/ids';
import type { StoredEvent } from '../flight-recorder/recorder';
import type { JobRow } from '../store/rows';
import type { StoreAccess } from '../store/store';

type Row = Record<string, unknown>;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Per table: the columns holding times (moved by the offset) and the columns holding the batch's ids. */
const TABLES = {
  ai_jobs: { times: ['created_at', 'updated_at', 'completed_at', 'consent_decided_at', 'consent_expires_at'], ids: ['job_id', 'trace_id', 'workflow_run_id', 'flight_recorder_span_id', 'job_outputs', 'status_reason', 'error_message'] },
  workflow_runs: { times: ['last_heartbeat', 'created_at', 'updated_at', 'finished_at'], ids: ['workflow_run_id', 'job_id', 'status_reason'] },
  workflow_node_executions: { times: ['started_at', 'finished_at'], ids: ['node_execution_id', 'workflow_run_id', 'input_payload', 'output_payload', 'error_message'] },
  fr_events: { times: ['timestamp'], ids: ['event_id', 'trace_id', 'job_id', 'workflow_run_id', 'payload'] },
  diagnostics: { times: ['timestamp'], ids: ['id', 'job_id', 'trace_id', 'evidence_refs', 'link_explanation', 'message'] },
} as const;
type Table = keyof typeof TABLES;

/** A live batch read back once, ready to be copied any number of times. */
export interface BatchTemplate {
  /** The batch's jobs in creation order, each with the rows that belong to it. */
  jobs: Array<{ jobId: string; rows: Record<Table, Row[]>; artifacts: string[] }>;
  /** The batch's first job creation and last event: the span a copy occupies. */
  start: number;
  end: number;
}

export function readBatch(access: StoreAccess, dataDir: string, jobIds: readonly string[]): BatchTemplate {
  const { db } = access;
  const all = (sql: string, id: string) => db.prepare(sql).all(id) as Row[];
  const jobs = jobIds.map((jobId) => {
    const rows: Record<Table, Row[]> = {
      ai_jobs: all('SELECT * FROM ai_jobs WHERE job_id = ?', jobId),
      workflow_runs: all('SELECT * FROM workflow_runs WHERE job_id = ? ORDER BY attempt', jobId),
      workflow_node_executions: all(
        'SELECT n.* FROM workflow_node_executions n JOIN workflow_runs r USING (workflow_run_id) WHERE r.job_id = ? ORDER BY n.rowid',
        jobId,
      ),
      fr_events: all('SELECT * FROM fr_events WHERE job_id = ? ORDER BY seq', jobId),
      diagnostics: all('SELECT * FROM diagnostics WHERE job_id = ? ORDER BY rowid', jobId),
    };
    const dir = path.join(dataDir, 'artifacts', jobId);
    return { jobId, rows, artifacts: fs.existsSync(dir) ? fs.readdirSync(dir) : [] };
  });
  const created = jobs.map((job) => job.rows.ai_jobs[0]!.created_at as number);
  const times = jobs.flatMap((job) => job.rows.fr_events.map((event) => event.timestamp as number));
  return { jobs, start: Math.min(...created), end: Math.max(...times, ...created) };
}

/**
 * Writes one copy of the first `count` jobs of `template`, moved to start at `startAt`, in the
 * caller's transaction. Returns the time of its last event.
 */
export function writeCopy(access: StoreAccess, dataDir: string, template: BatchTemplate, startAt: number, count: number, inserts: CopyInserts): number {
  const offset = startAt - template.start;
  const jobs = template.jobs.slice(0, count);
  const fresh = new Map<string, string>();
  // A column that is one id is looked up; text that may hold ids (payloads, messages) is scanned.
  const renamed = (text: string) => fresh.get(text) ?? (text.includes('-') ? text.replace(UUID, (id) => fresh.get(id) ?? id) : text);
  for (const job of jobs) {
    const jobTime = (job.rows.ai_jobs[0]!.created_at as number) + offset;
    for (const [table, { ids }] of Object.entries(TABLES) as Array<[Table, (typeof TABLES)[Table]]>) {
      for (const row of job.rows[table]) {
        // The batch's own ids (the first id column of each table, and the job's trace and span).
        const own = table === 'ai_jobs' ? [row.job_id, row.trace_id, row.flight_recorder_span_id] : [row[ids[0]]];
        for (const id of own) if (typeof id === 'string' && !fresh.has(id)) fresh.set(id, uuidv7(jobTime));
      }
    }
  }
  const moved = (table: Table) =>
    jobs.flatMap((job) =>
      job.rows[table].map((row) => {
        const copy: Row = { ...row };
        for (const column of TABLES[table].times) if (typeof copy[column] === 'number') copy[column] = (copy[column] as number) + offset;
        for (const column of TABLES[table].ids) if (typeof copy[column] === 'string') copy[column] = renamed(copy[column] as string);
        return copy;
      }),
    );
  access.jobs.insertRows(moved('ai_jobs') as unknown as Omit<JobRow, 'rowid'>[]);
  inserts.runs.run(moved('workflow_runs').map((row) => inserts.runColumns.map((column) => row[column])));
  inserts.nodes.run(moved('workflow_node_executions').map((row) => inserts.nodeColumns.map((column) => row[column])));
  const events = moved('fr_events')
    // The copies of one batch's events interleave as the originals did (the log's order is by time).
    .sort((a, b) => (a.seq as number) - (b.seq as number))
    .map(({ seq: _seq, ...row }) => row as unknown as StoredEvent);
  access.appendEventCopies(events);
  inserts.diagnostics.run(moved('diagnostics').map((row) => inserts.diagnosticColumns.map((column) => row[column])));
  for (const job of jobs) {
    if (job.artifacts.length === 0) continue;
    const from = path.join(dataDir, 'artifacts', job.jobId);
    const to = path.join(dataDir, 'artifacts', fresh.get(job.jobId)!);
    fs.mkdirSync(to, { recursive: true });
    for (const name of job.artifacts) linkOrCopy(path.join(from, name), path.join(to, renamed(name)));
  }
  return template.end + offset;
}

/** Artifacts are immutable once written: a hard link shares the bytes; a copy where links are not possible. */
function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/** The multi-row inserts of the tables a copy fills beside ai_jobs and fr_events, prepared once. */
export interface CopyInserts {
  runs: MultiRowInsert;
  runColumns: string[];
  nodes: MultiRowInsert;
  nodeColumns: string[];
  diagnostics: MultiRowInsert;
  diagnosticColumns: string[];
}

export function copyInserts(db: Database.Database): CopyInserts {
  const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]);
  const runColumns = columns('workflow_runs');
  const nodeColumns = columns('workflow_node_executions');
  const diagnosticColumns = columns('diagnostics');
  return {
    runs: new MultiRowInsert(db, 'workflow_runs', runColumns),
    runColumns,
    nodes: new MultiRowInsert(db, 'workflow_node_executions', nodeColumns),
    nodeColumns,
    diagnostics: new MultiRowInsert(db, 'diagnostics', diagnosticColumns),
    diagnosticColumns,
  };
}
