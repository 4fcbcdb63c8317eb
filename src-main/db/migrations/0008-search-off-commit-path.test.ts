import { listedIdOf } from '../../../src-shared/job';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../../../src-shared/job';
import { Store } from '../../store/store';
import { makeTempDir } from '../../testing/temp-dir';
import { LATEST_VERSION, migrate, schemaVersion } from '../migrate';
import { databasePath } from '../open';
import { migration0001 } from './0001-initial';
import { migration0008 } from './0008-search-off-commit-path';

const JOB = '0190a000-0000-7000-8000-00000000000a';

/** A data dir whose database is in migration 1's shape, holding one job that says "pelican". */
function versionOneDataDir(): string {
  const dir = makeTempDir();
  const db = new Database(databasePath(dir));
  db.pragma('journal_mode = WAL');
  migrate(db, [migration0001]);
  db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, job_kind, status, status_reason, protocol_id, profile_id,
    capability_profile_id, access_mode, safety_mode, metrics, job_inputs, created_at, updated_at)
    VALUES (?, ?, 'doc_edit', 'queued', 'queued', 'p', 'default', 'Analyst', 'analysis_only', 'normal', ?, '{"note":"pelican"}', 1, 1)`)
    .run(JOB, JOB, JSON.stringify(zeroMetrics()));
  db.close();
  return dir;
}

function names(db: Database.Database, type: 'table' | 'trigger'): string[] {
  return db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type) as string[];
}

describe('migration 8: search off the commit path', () => {
  it('replaces the trigger-maintained FTS indexes, queues every existing job, and keeps the write-once guard', () => {
    const dir = versionOneDataDir();
    const store = Store.open(dir);
    const db = store.attach((access) => access.db);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(migration0008.version);
    expect(names(db, 'table')).not.toContain('ai_jobs_fts');
    expect(names(db, 'table')).not.toContain('ai_jobs_fts_state');
    expect(names(db, 'trigger')).toEqual(
      expect.arrayContaining(['ai_jobs_fts_update', 'job_search_pending_insert', 'job_search_pending_update', 'job_search_pending_delete']),
    );
    expect(names(db, 'trigger').filter((name) => name.startsWith('ai_jobs_fts'))).toEqual(['ai_jobs_fts_update']);
    expect(store.searchIndexLag()).toBe(1);
    expect(store.listJobs({ text: 'pelican' }).items.map(listedIdOf)).toEqual([JOB]);
    expect(() => db.prepare(`UPDATE ai_jobs SET job_inputs = '{}' WHERE job_id = ?`).run(JOB)).toThrow(/written once/);
    store.close();
  });
});
