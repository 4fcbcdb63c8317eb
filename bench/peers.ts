/**
 * The comparisons the engine and store figures stand beside, measured in the same run:
 * - plainjob (a SQLite job queue for Node, no event log): its worker's process loop with one worker
 *   and a no-op handler, at synchronous FULL and NORMAL, and its addMany batch insert;
 * - the plain-table ceiling: this project's lifecycle SQL (the same three transactions per job and
 *   the same events) on tables with primary keys, one index on jobs (status, created_at) and one on
 *   events (trace_id), no full-text index and no CHECKs, with 100,000 jobs already stored.
 * Used only by the bench.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { better, defineQueue, defineWorker } from 'plainjob';
import { zeroMetrics } from '../src-shared/job';
import { uuidv7 } from '../src-main/db/ids';
import type { Synchronous } from '../src-main/db/open';

export const PRESTORED_JOBS = 100_000;
const ZERO_METRICS = JSON.stringify(zeroMetrics());

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hsk-bench-${label}-`));
}

export function time(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// ---- plainjob -----------------------------------------------------------------------------------

function plainjobQueue(file: string, synchronous: Synchronous) {
  const db = new Database(file);
  const queue = defineQueue({ connection: better(db), logger: silent });
  // defineQueue sets synchronous = NORMAL itself; FULL is set after it, on the same connection.
  db.pragma(`synchronous = ${synchronous}`);
  return { db, queue };
}

/** Jobs/s of plainjob's worker loop: one worker, a no-op handler, `jobs` queued beforehand. */
export async function plainjobProcessRate(jobs: number, synchronous: Synchronous): Promise<number> {
  const dir = tempDir('plainjob');
  const { db, queue } = plainjobQueue(path.join(dir, 'queue.db'), synchronous);
  try {
    queue.addMany('noop', Array.from({ length: jobs }, (_, i) => ({ n: i })));
    let done = 0;
    let finish: () => void = () => {};
    const allDone = new Promise<void>((resolve) => (finish = resolve));
    const worker = defineWorker('noop', () => {}, {
      queue,
      logger: silent,
      pollIntervall: 1,
      onCompleted: () => {
        done += 1;
        if (done === jobs) finish();
      },
    });
    const start = process.hrtime.bigint();
    const running = worker.start();
    await allDone;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await worker.stop();
    await running;
    return (jobs / ms) * 1000;
  } finally {
    queue.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Jobs/s of plainjob's addMany (one transaction). */
export function plainjobAddManyRate(jobs: number): number {
  const dir = tempDir('plainjob-add');
  const { db, queue } = plainjobQueue(path.join(dir, 'queue.db'), 'FULL');
  try {
    const data = Array.from({ length: jobs }, (_, i) => ({ n: i }));
    return (jobs / time(() => queue.addMany('noop', data))) * 1000;
  } finally {
    queue.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the plain-table ceiling --------------------------------------------------------------------

/** The project's table and column names, so the same lifecycle SQL runs on both schemas. */
const PLAIN_SCHEMA = `
CREATE TABLE ai_jobs (job_id TEXT PRIMARY KEY, trace_id TEXT, workflow_run_id TEXT, job_kind TEXT, status TEXT,
  status_reason TEXT, error_message TEXT, protocol_id TEXT, profile_id TEXT, capability_profile_id TEXT,
  access_mode TEXT, safety_mode TEXT, entity_refs TEXT DEFAULT '[]', planned_operations TEXT DEFAULT '[]',
  metrics TEXT, job_inputs TEXT, job_outputs TEXT, created_at INTEGER, updated_at INTEGER, completed_at INTEGER,
  flight_recorder_span_id TEXT);
CREATE INDEX ai_jobs_status_created ON ai_jobs(status, created_at);
CREATE TABLE workflow_runs (workflow_run_id TEXT PRIMARY KEY, job_id TEXT, attempt INTEGER, status TEXT,
  status_reason TEXT, last_heartbeat INTEGER, created_at INTEGER, updated_at INTEGER, finished_at INTEGER);
CREATE TABLE fr_events (seq INTEGER PRIMARY KEY, event_id TEXT, type TEXT, timestamp INTEGER, actor TEXT,
  actor_id TEXT, trace_id TEXT, job_id TEXT, workflow_run_id TEXT, model_id TEXT, capability_id TEXT, payload TEXT);
CREATE INDEX fr_events_trace ON fr_events(trace_id);
`;

export function openPlainTables(dir: string, synchronous: Synchronous): Database.Database {
  const db = new Database(path.join(dir, 'plain.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ai_jobs'").get()) db.exec(PLAIN_SCHEMA);
  return db;
}

/** Statements of the lifecycle SQL on either schema (same table and column names). */
function lifecycleStatements(db: Database.Database) {
  return {
    insertJob: db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, job_kind, status, status_reason, protocol_id,
      profile_id, capability_profile_id, access_mode, safety_mode, metrics, job_inputs, created_at, updated_at, flight_recorder_span_id)
      VALUES (?, ?, 'doc_summarize', 'queued', 'queued', 'bench.v1', 'default', 'Analyst', 'analysis_only', 'normal', ?, ?, ?, ?, ?)`),
    insertEvent: db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, job_id,
      workflow_run_id, payload) VALUES (?, ?, ?, 'system', 'system', ?, ?, ?, ?)`),
    insertRun: db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason,
      last_heartbeat, created_at, updated_at) VALUES (?, ?, 1, 'running', 'running', ?, ?, ?)`),
    updateJob: db.prepare('UPDATE ai_jobs SET status = ?, status_reason = ?, workflow_run_id = ?, updated_at = ?, completed_at = ? WHERE job_id = ?'),
    finishRun: db.prepare("UPDATE workflow_runs SET status = 'completed', status_reason = 'completed', updated_at = ?, finished_at = ? WHERE workflow_run_id = ?"),
  };
}

const CREATED_PAYLOAD = '{"job_kind":"doc_summarize","protocol_id":"bench.v1","state":"queued","submitted_job_kind":null}';

/** Inserts jobs and their job_created events in one transaction (the batch path, with no store code). */
export function rawBatchCreate(db: Database.Database, jobs: number): void {
  const sql = lifecycleStatements(db);
  db.transaction(() => {
    for (let i = 0; i < jobs; i += 1) {
      const now = Date.now();
      const jobId = uuidv7(now);
      const traceId = uuidv7(now);
      sql.insertJob.run(jobId, traceId, ZERO_METRICS, JSON.stringify({ n: i }), now, now, jobId);
      sql.insertEvent.run(uuidv7(now), 'job_created', now, traceId, jobId, null, CREATED_PAYLOAD);
    }
  }).immediate();
}

/** The rows and events the store writes for create -> running -> completed, three transactions per job. */
export function rawLifecycle(db: Database.Database, jobs: number): void {
  const sql = lifecycleStatements(db);
  const create = db.transaction((jobId: string, traceId: string, i: number) => {
    const now = Date.now();
    sql.insertJob.run(jobId, traceId, ZERO_METRICS, JSON.stringify({ n: i }), now, now, jobId);
    sql.insertEvent.run(uuidv7(now), 'job_created', now, traceId, jobId, null, CREATED_PAYLOAD);
  });
  const start = db.transaction((jobId: string, traceId: string, runId: string) => {
    const now = Date.now();
    sql.insertRun.run(runId, jobId, now, now, now);
    sql.insertEvent.run(uuidv7(now), 'workflow_run_started', now, traceId, jobId, runId, `{"workflow_run_id":"${runId}","attempt":1,"job_kind":"doc_summarize"}`);
    sql.updateJob.run('running', 'running', runId, now, null, jobId);
    sql.insertEvent.run(uuidv7(now), 'job_state_changed', now, traceId, jobId, runId, '{"from_state":"queued","to_state":"running","cause":"engine","reason":"running"}');
  });
  const finish = db.transaction((jobId: string, traceId: string, runId: string) => {
    const now = Date.now();
    sql.finishRun.run(now, now, runId);
    sql.insertEvent.run(uuidv7(now), 'workflow_run_finished', now, traceId, jobId, runId, `{"workflow_run_id":"${runId}","status":"completed","reason":"completed","duration_ms":0}`);
    sql.updateJob.run('completed', 'completed', runId, now, now, jobId);
    sql.insertEvent.run(uuidv7(now), 'job_state_changed', now, traceId, jobId, runId, '{"from_state":"running","to_state":"completed","cause":"engine","reason":"completed"}');
  });
  for (let i = 0; i < jobs; i += 1) {
    const now = Date.now();
    const jobId = uuidv7(now);
    const traceId = uuidv7(now);
    const runId = uuidv7(now);
    create.immediate(jobId, traceId, i);
    start.immediate(jobId, traceId, runId);
    finish.immediate(jobId, traceId, runId);
  }
}

/**
 * A database file holding PRESTORED_JOBS completed jobs (each with its run and five events),
 * written once and copied for every round so each side starts from the same history.
 */
export function prestoredTemplate(open: (dir: string) => Database.Database): string {
  const dir = tempDir('prestored');
  const db = open(dir);
  db.pragma('synchronous = OFF');
  const chunk = 10_000;
  for (let done = 0; done < PRESTORED_JOBS; done += chunk) {
    // Nested in one transaction, the three per job become savepoints: one commit per chunk.
    db.transaction(() => rawLifecycle(db, chunk))();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dir;
}

export function copyDatabaseDir(from: string): string {
  const dir = tempDir('round');
  for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(dir, name));
  return dir;
}
