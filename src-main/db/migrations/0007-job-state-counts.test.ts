import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../../../src-shared/job';
import { migrate, schemaVersion } from '../migrate';
import { MIGRATIONS } from './index';

const BEFORE = MIGRATIONS.filter((migration) => migration.version < 7);

/** A database as version 6 left it, with jobs stored before the count table existed. */
function version6Database(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, BEFORE);
  const insert = db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, job_kind, status, status_reason, protocol_id, profile_id,
    capability_profile_id, access_mode, safety_mode, metrics, job_inputs, created_at, updated_at, flight_recorder_span_id)
    VALUES (@id, @id, @kind, @status, 'x', 'p', 'default', 'Analyst', 'analysis_only', 'normal', @metrics, NULL, 1, 1, @id)`);
  const rows: Array<[string, string]> = [['doc_edit', 'queued'], ['doc_edit', 'queued'], ['doc_edit', 'failed'], ['asr_transcribe', 'completed']];
  rows.forEach(([kind, status], index) => insert.run({ id: `00000000-0000-4000-8000-00000000000${index}`, kind, status, metrics: JSON.stringify(zeroMetrics()) }));
  return db;
}

describe('migration 7 (job_state_counts)', () => {
  it('starts from the jobs already stored, then follows every write', () => {
    const db = version6Database();
    migrate(db);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const counts = () => db.prepare('SELECT job_kind, status, n FROM job_state_counts WHERE n > 0 ORDER BY 1, 2').all();
    expect(counts()).toEqual([
      { job_kind: 'asr_transcribe', status: 'completed', n: 1 },
      { job_kind: 'doc_edit', status: 'failed', n: 1 },
      { job_kind: 'doc_edit', status: 'queued', n: 2 },
    ]);
    db.prepare("UPDATE ai_jobs SET status = 'running' WHERE job_id = '00000000-0000-4000-8000-000000000000'").run();
    expect(counts()).toContainEqual({ job_kind: 'doc_edit', status: 'running', n: 1 });
    expect(counts()).toContainEqual({ job_kind: 'doc_edit', status: 'queued', n: 1 });
  });

  it('refuses a count below zero, so a write that would corrupt the counts aborts whole', () => {
    const db = version6Database();
    migrate(db);
    db.prepare("UPDATE job_state_counts SET n = 0 WHERE job_kind = 'asr_transcribe'").run();
    expect(() => db.prepare("DELETE FROM ai_jobs WHERE job_kind = 'asr_transcribe'").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT count(*) FROM ai_jobs WHERE job_kind = 'asr_transcribe'").pluck().get()).toBe(1);
  });
});
