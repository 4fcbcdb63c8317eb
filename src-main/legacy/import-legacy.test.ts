import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../../src-shared/job';
import { GOVERNANCE_PACK_PROTOCOL } from '../../src-shared/protocols';
import { Store } from '../store/store';
import { importLegacyDatabase } from './import-legacy';
import { count, dbOf } from '../testing/store';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-legacy-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The original Handshake layout (original-implementation.md §1.2-1.4): free text, no CHECKs. */
function legacyDatabase(dir: string): { path: string; db: Database.Database } {
  const file = path.join(dir, 'old.db');
  const db = new Database(file);
  db.exec(`
    CREATE TABLE ai_jobs (id TEXT PRIMARY KEY NOT NULL, trace_id TEXT NOT NULL, workflow_run_id TEXT,
      job_kind TEXT NOT NULL, status TEXT NOT NULL, status_reason TEXT NOT NULL DEFAULT 'queued', error_message TEXT,
      protocol_id TEXT NOT NULL, profile_id TEXT NOT NULL, capability_profile_id TEXT NOT NULL, access_mode TEXT NOT NULL,
      safety_mode TEXT NOT NULL, entity_refs TEXT NOT NULL DEFAULT '[]', planned_operations TEXT NOT NULL DEFAULT '[]',
      metrics TEXT, job_inputs TEXT, job_outputs TEXT, is_pinned INTEGER NOT NULL DEFAULT 0,
      created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
    CREATE TABLE workflow_runs (id TEXT PRIMARY KEY NOT NULL, job_id TEXT NOT NULL, status TEXT NOT NULL,
      last_heartbeat TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
      updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);`);
  return { path: file, db };
}

let counter = 0;
function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
}

function addJob(db: Database.Database, kind: string, extra: { metrics?: string | null; status?: string } = {}): string {
  const id = uuid();
  db.prepare(`INSERT INTO ai_jobs (id, trace_id, job_kind, status, protocol_id, profile_id, capability_profile_id,
    access_mode, safety_mode, metrics, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'proto-1', 'default', 'Analyst', 'analysis_only', 'normal', ?, '2026-01-20 10:00:00', '2026-01-20 10:05:00')`).run(
    id,
    uuid(),
    kind,
    extra.status ?? 'completed',
    extra.metrics === undefined ? null : extra.metrics,
  );
  return id;
}

describe('legacy import', () => {
  it('normalises every GAP case, quarantines non-canonical kinds whole, and loses nothing', () => {
    const dir = tempDir();
    const legacy = legacyDatabase(dir);
    const termExec = addJob(legacy.db, 'term_exec', { metrics: '{"duration_ms": 12}' });
    const governance = addJob(legacy.db, 'governance_pack_export', { metrics: null });
    const docTest = addJob(legacy.db, 'doc_test');
    const unknown = addJob(legacy.db, 'mystery_kind');
    const canonical = addJob(legacy.db, 'doc_summarize', { metrics: 'not json' });
    const running = uuid();
    legacy.db.prepare("INSERT INTO workflow_runs (id, job_id, status, last_heartbeat) VALUES (?, ?, 'running', '2026-01-20 10:00:00')").run(running, termExec);
    const orphanRun = uuid();
    legacy.db.prepare("INSERT INTO workflow_runs (id, job_id, status) VALUES (?, ?, 'completed')").run(orphanRun, docTest);
    legacy.db.close();

    const store = Store.open(path.join(dir, 'data'));
    const report = importLegacyDatabase(store, legacy.path);

    expect(report).toMatchObject({ jobs_seen: 5, jobs_imported: 3, jobs_quarantined: 2, runs_imported: 1, runs_quarantined: 1 });
    expect(store.getJob(termExec).job_kind).toBe('terminal_exec');
    expect(store.getJob(termExec).metrics).toEqual({ ...Object.fromEntries(METRIC_KEYS.map((k) => [k, 0])), duration_ms: 12 });
    expect(store.getJob(governance)).toMatchObject({ job_kind: 'workflow_run', protocol_id: GOVERNANCE_PACK_PROTOCOL });
    expect(Object.values(store.getJob(governance).metrics).every((value) => value === 0)).toBe(true);
    expect(store.getJob(canonical).job_kind).toBe('doc_summarize');
    expect(() => store.getJob(docTest)).toThrow(/does not exist/);

    const kept = dbOf(store).prepare('SELECT legacy_table, legacy_id, reason, row_json FROM legacy_quarantine ORDER BY quarantine_id').all() as Array<{ legacy_table: string; legacy_id: string; reason: string; row_json: string }>;
    expect(kept.map((row) => [row.legacy_table, row.legacy_id])).toEqual([
      ['ai_jobs', docTest],
      ['ai_jobs', unknown],
      ['workflow_runs', orphanRun],
    ]);
    expect(kept[0]?.reason).toMatch(/non-canonical job_kind "doc_test"/);
    expect(JSON.parse(kept[0]?.row_json ?? '{}')).toMatchObject({ id: docTest, job_kind: 'doc_test' });
    expect(report.changes).toEqual(
      expect.arrayContaining([
        { legacy_id: termExec, change: 'job_kind term_exec -> terminal_exec' },
        { legacy_id: governance, change: expect.stringContaining('governance_pack_export -> workflow_run') },
        { legacy_id: governance, change: 'metrics NULL -> zeroed' },
        { legacy_id: canonical, change: 'metrics invalid JSON -> zeroed' },
      ]),
    );
    const anyAlias = dbOf(store).prepare("SELECT count(*) AS n FROM ai_jobs WHERE job_kind IN ('term_exec', 'doc_test', 'governance_pack_export')").get() as { n: number };
    expect(anyAlias.n).toBe(0);
    expect(store.listRuns(termExec)[0]).toMatchObject({ workflow_run_id: running, status: 'running', attempt: 1 });
    store.close();
  });

  it('is idempotent: importing the same database twice adds nothing the second time (jobs, runs, nodes, quarantine)', () => {
    const dir = tempDir();
    const legacy = legacyDatabase(dir);
    legacy.db.exec(`CREATE TABLE workflow_node_executions (id TEXT PRIMARY KEY NOT NULL, workflow_run_id TEXT NOT NULL,
      node_id TEXT NOT NULL, node_type TEXT NOT NULL, sequence INTEGER NOT NULL, status TEXT NOT NULL, input_payload TEXT,
      output_payload TEXT, error_message TEXT, started_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, finished_at TIMESTAMP)`);
    const kept = addJob(legacy.db, 'doc_edit');
    const quarantined = addJob(legacy.db, 'doc_test');
    const addRun = (jobId: string) => {
      const runId = uuid();
      legacy.db.prepare("INSERT INTO workflow_runs (id, job_id, status) VALUES (?, ?, 'completed')").run(runId, jobId);
      legacy.db.prepare("INSERT INTO workflow_node_executions (id, workflow_run_id, node_id, node_type, sequence, status, finished_at) VALUES (?, ?, 'n1', 'llm', 1, 'completed', '2026-01-20 10:01:00')").run(uuid(), runId);
    };
    addRun(kept);
    addRun(kept);
    addRun(quarantined);
    legacy.db.close();
    const store = Store.open(path.join(dir, 'data'));
    const first = importLegacyDatabase(store, legacy.path);
    expect(first).toMatchObject({ jobs_imported: 1, jobs_quarantined: 1, runs_imported: 2, runs_quarantined: 1, nodes_imported: 2, nodes_quarantined: 1 });
    const tables = ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'legacy_quarantine', 'fr_events'] as const;
    const before = tables.map((table) => count(store, table));

    const second = importLegacyDatabase(store, legacy.path);
    expect(second).toMatchObject({ jobs_imported: 0, jobs_already_present: 1, runs_imported: 0, runs_already_present: 2, nodes_imported: 0, nodes_already_present: 2 });
    expect(tables.map((table) => count(store, table))).toEqual(before);
    expect(store.listRuns(kept).map((run) => run.attempt)).toEqual([1, 2]);
    store.close();
  });

  it('stores the free text it imports redacted, as every writer does (status_reason, error_message of jobs and nodes)', () => {
    const dir = tempDir();
    const legacy = legacyDatabase(dir);
    legacy.db.exec(`CREATE TABLE workflow_node_executions (id TEXT PRIMARY KEY NOT NULL, workflow_run_id TEXT NOT NULL,
      node_id TEXT NOT NULL, node_type TEXT NOT NULL, sequence INTEGER NOT NULL, status TEXT NOT NULL, input_payload TEXT,
      output_payload TEXT, error_message TEXT, started_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, finished_at TIMESTAMP)`);
    const jobId = addJob(legacy.db, 'doc_edit', { status: 'failed' });
    legacy.db.prepare('UPDATE ai_jobs SET status_reason = ?, error_message = ? WHERE id = ?').run('failed: token=abcd1234efgh', 'auth failed for ada@example.org with sk-abcdefghijklmnop1234', jobId);
    const runId = uuid();
    legacy.db.prepare("INSERT INTO workflow_runs (id, job_id, status) VALUES (?, ?, 'failed')").run(runId, jobId);
    legacy.db.prepare("INSERT INTO workflow_node_executions (id, workflow_run_id, node_id, node_type, sequence, status, error_message, finished_at) VALUES (?, ?, 'n1', 'llm', 1, 'failed', 'Bearer abcdefghijklmnop1234 refused', '2026-01-20 10:01:00')").run(uuid(), runId);
    legacy.db.close();
    const store = Store.open(path.join(dir, 'data'));
    importLegacyDatabase(store, legacy.path);
    const job = store.getJob(jobId);
    expect(job.status_reason).not.toContain('abcd1234efgh');
    expect(job.error_message).toContain('[REDACTED:pii_email:email]');
    expect(job.error_message).not.toContain('sk-abcdefghijklmnop1234');
    const [node] = store.listRuns(jobId).flatMap((run) => run.nodes);
    expect(node?.error_message).toBe('[REDACTED:secret_token:bearer_token] refused');
    store.close();
  });

  it('refuses a file that is not a Handshake database and writes nothing', () => {
    const dir = tempDir();
    const other = new Database(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    const store = Store.open(path.join(dir, 'data'));
    expect(() => importLegacyDatabase(store, path.join(dir, 'other.db'))).toThrow(/no ai_jobs table/);
    expect(() => importLegacyDatabase(store, path.join(dir, 'missing.db'))).toThrow(/does not exist/);
    expect(count(store, 'ai_jobs')).toBe(0);
    store.close();
  });
});

describe('legacy import in chunks', () => {
  it('imports a history larger than one chunk whole, and takes an id that differs only in case as already present', () => {
    const legacy = legacyDatabase(tempDir());
    const ids = legacy.db.transaction(() => Array.from({ length: 1_200 }, (_, i) => addJob(legacy.db, i % 2 === 0 ? 'term_exec' : 'doc_edit')))();
    const insert = legacy.db.prepare(`INSERT INTO ai_jobs (id, trace_id, job_kind, status, protocol_id, profile_id, capability_profile_id, access_mode, safety_mode)
      VALUES (?, ?, 'doc_edit', 'completed', 'proto-1', 'default', 'Analyst', 'analysis_only', 'normal')`);
    insert.run('abcdefab-0000-4000-8000-00000000abcd', uuid());
    insert.run('ABCDEFAB-0000-4000-8000-00000000ABCD', uuid());
    legacy.db.close();
    const store = Store.open(tempDir());
    const report = importLegacyDatabase(store, legacy.path);
    expect(report).toMatchObject({ jobs_seen: 1_202, jobs_imported: 1_201, jobs_already_present: 1, jobs_quarantined: 0 });
    expect(count(store, 'ai_jobs')).toBe(1_201);
    expect(dbOf(store).prepare("SELECT count(*) FROM ai_jobs WHERE job_kind = 'terminal_exec'").pluck().get()).toBe(600);
    expect(dbOf(store).prepare("SELECT sum(n) FROM job_state_counts WHERE status = 'completed'").pluck().get()).toBe(1_201);
    expect(store.getJob(ids[1_199]!).job_kind).toBe('doc_edit');
    store.close();
  });
});
