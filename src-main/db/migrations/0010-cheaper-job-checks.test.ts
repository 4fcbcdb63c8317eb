import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../../../src-shared/job';
import { migrate, schemaVersion } from '../migrate';
import { MIGRATIONS } from './index';
import { replaceInStoredDefinition } from '../../testing/schema-edit';
import { LAYER_SCOPE_CHECK_AFTER, METRICS_CHECK_AFTER, METRICS_CHECK_BEFORE, migration0010 } from './0010-cheaper-job-checks';

const DEFAULT_LAYER = '{"read":["raw","derived","display"],"write":["derived"]}';
const KEYS = Object.keys(zeroMetrics());

function databaseAt(version: number): Database.Database {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.filter((migration) => migration.version <= version));
  return db;
}

let sequence = 0;
/** Whether the database accepts a job with these values; a refusal must be a CHECK failure. */
function accepts(db: Database.Database, metrics: string, layerScope: string): boolean {
  sequence += 1;
  const id = `01900000-0000-7000-8000-${sequence.toString().padStart(12, '0')}`;
  try {
    db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, job_kind, status, status_reason, protocol_id, profile_id,
      capability_profile_id, access_mode, safety_mode, metrics, layer_scope, created_at, updated_at, flight_recorder_span_id)
      VALUES (?, ?, 'doc_edit', 'queued', 'queued', 'p', 'default', 'Analyst', 'analysis_only', 'normal', ?, ?, 1, 1, ?)`)
      .run(id, id, metrics, layerScope, id);
    return true;
  } catch (error) {
    expect((error as { code?: string }).code).toBe('SQLITE_CONSTRAINT_CHECK');
    return false;
  }
}

/** Good and bad metrics: every counter in every wrong shape, and the object's own shape. */
function metricsCorpus(): string[] {
  const zero = zeroMetrics() as Record<string, number>;
  const corpus = [JSON.stringify(zero), JSON.stringify({ ...zero, total_tokens: 123, duration_ms: 9_007_199_254_740_991 })];
  const wrong = ['-1', '1.5', '1.0', '1e2', '-0', '"5"', '""', 'true', 'false', 'null', '[]', '{}', '[1]', '1e30', '9223372036854775807', '9223372036854775808', '18446744073709551616', '0'];
  for (const key of KEYS) {
    for (const value of wrong) corpus.push(JSON.stringify(zero).replace(`"${key}":0`, `"${key}":${value}`));
    const { [key]: _dropped, ...missing } = zero;
    corpus.push(JSON.stringify(missing));
  }
  corpus.push(
    JSON.stringify({ ...zero, extra: 0 }),
    JSON.stringify(Object.fromEntries(Object.entries(zero).reverse())),
    JSON.stringify(zero, null, 2),
    JSON.stringify(zero).replace('{', '{"duration_ms":0,'),
    '[]',
    '"x"',
    '5',
    'null',
    '{',
    '',
    '{}',
  );
  return corpus;
}

/** Good and bad layer scopes. */
function layerCorpus(): string[] {
  const arrays = ['[]', '["raw"]', '["display","display","display"]', '["raw","derived","display","raw"]', '["other"]', '[1]', '[null]',
    '["raw",null]', '[null,null,null,null]', 'null', '"[]"', '"raw"', '{}', '[["raw"]]', '[ "raw" , "derived" ]', '["RAW"]', '[true]'];
  const corpus = [DEFAULT_LAYER];
  for (const read of arrays) corpus.push(`{"read":${read},"write":["derived"]}`);
  for (const write of arrays) corpus.push(`{"read":["raw"],"write":${write}}`);
  corpus.push('{"write":["derived"],"read":["raw"]}', '{"read":["raw"]}', '{"write":["raw"]}', '{"read":["raw"],"write":["raw"],"x":1}',
    '{ "read" : [ "raw" ] , "write" : [ ] }', '[]', '"x"', '{', '{}', '{"read":["raw"],"read":["raw"],"write":[]}');
  return corpus;
}

describe('migration 10 (cheaper job CHECKs, no duplicate run index)', () => {
  it('accepts and refuses exactly the metrics and layer scopes the CHECKs of version 9 did', () => {
    const before = databaseAt(9);
    const after = databaseAt(10);
    const metrics = metricsCorpus();
    const layers = layerCorpus();
    const disagreements: string[] = [];
    let refused = 0;
    for (const value of metrics) {
      const verdict = accepts(before, value, DEFAULT_LAYER);
      if (!verdict) refused += 1;
      if (accepts(after, value, DEFAULT_LAYER) !== verdict) disagreements.push(`metrics ${value}`);
    }
    for (const value of layers) {
      const verdict = accepts(before, JSON.stringify(zeroMetrics()), value);
      if (!verdict) refused += 1;
      if (accepts(after, JSON.stringify(zeroMetrics()), value) !== verdict) disagreements.push(`layer_scope ${value}`);
    }
    expect(disagreements).toEqual([]);
    // The corpus exercises both sides: most values are refused, the canonical ones accepted.
    expect(refused).toBeGreaterThan(150);
    expect(refused).toBeLessThan(metrics.length + layers.length - 8);
  });

  it('edits the definition in place: rows kept, new CHECKs in the schema, the duplicate index gone, the file intact', () => {
    const db = databaseAt(9);
    expect(accepts(db, JSON.stringify(zeroMetrics()), DEFAULT_LAYER)).toBe(true);
    const indexes = () => db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'workflow_runs'").pluck().all();
    expect(indexes()).toContain('workflow_runs_job');
    // To version 10 only: migration 11 rewrites these CHECKs again.
    migrate(db, MIGRATIONS.filter((migration) => migration.version <= migration0010.version));
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration0010.version);
    const definition = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ai_jobs'").pluck().get() as string;
    expect(definition).toContain(METRICS_CHECK_AFTER);
    expect(definition).toContain(LAYER_SCOPE_CHECK_AFTER);
    expect(definition).not.toContain(METRICS_CHECK_BEFORE);
    expect(indexes()).not.toContain('workflow_runs_job');
    expect(db.prepare('SELECT count(*) FROM ai_jobs').pluck().get()).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Runs by job still read an index (the UNIQUE one), not the table.
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM workflow_runs WHERE job_id = ? ORDER BY attempt').all('x') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX sqlite_autoindex_workflow_runs_/);
    // Defensive mode is back on: the schema cannot be written again by accident.
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'ai_jobs'").run()).toThrow();
  });

  it('refuses a definition it does not recognise, and leaves the database at version 9', () => {
    const db = databaseAt(9);
    replaceInStoredDefinition(db, 'ai_jobs', "json_type(metrics) = 'object'", "json_type(metrics) = 'object' ");
    expect(() => migrate(db)).toThrow(/metrics CHECK of ai_jobs is not the one/);
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'workflow_runs_job'").pluck().get()).toBe('workflow_runs_job');
  });
});
