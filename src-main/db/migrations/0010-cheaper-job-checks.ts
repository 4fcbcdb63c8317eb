/**
 * Migration 10: the same invariants on ai_jobs, for less work per written job.
 *
 * - The CHECKs on `metrics` and `layer_scope` are replaced by equivalent ones that call SQLite's
 *   JSON functions 12 and 7 times instead of 29 and 17. Each call parses the value again while a
 *   row is inserted, and these two CHECKs were most of a job insert's cost: a batch of 5,000 jobs
 *   with their events went from about 12,000 to about 20,000 jobs/s. What they accept is the same:
 *   - metrics: a JSON object with exactly the nine counters, in their order, each a non-negative
 *     integer. Rebuilt with each value coerced to a non-negative integer (a missing one to -1, then
 *     0), it must equal itself, so a string, a fraction, a negative, a boolean, null, a nested
 *     value or an out-of-range number changes the text and fails.
 *   - layer_scope: an object with exactly `read` then `write`, each an array of at most three
 *     of raw, derived, display (or null, as before): its text must be one of those 85 arrays.
 *   A differential test (0010-cheaper-job-checks.test.ts) runs both versions over the same
 *   corpus of good and bad values and requires them to agree on each.
 * - workflow_runs_job (job_id, attempt) is dropped: it repeated the UNIQUE (job_id, attempt)
 *   index exactly, and every run insert and delete paid for both.
 *
 * SQLite cannot alter a CHECK, and rebuilding ai_jobs would copy every job at first start. A CHECK
 * is not part of the stored rows, so the table's definition is edited in place, the procedure of
 * https://www.sqlite.org/lang_altertable.html#otheralter (writable_schema, then schema_version + 1),
 * in the migration's transaction. The new CHECKs accept exactly the rows the old ones did, so no
 * stored row is left violating them. A definition that is not the one migrations 1 and 6 wrote is
 * refused rather than edited.
 *
 * Frozen once released, like every migration: literal SQL.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migration';

export const METRICS_CHECK_BEFORE = `CHECK (json_valid(metrics) AND json_type(metrics) = 'object'
      AND json_type(metrics, '$.duration_ms') = 'integer' AND json_extract(metrics, '$.duration_ms') >= 0
      AND json_type(metrics, '$.total_tokens') = 'integer' AND json_extract(metrics, '$.total_tokens') >= 0
      AND json_type(metrics, '$.input_tokens') = 'integer' AND json_extract(metrics, '$.input_tokens') >= 0
      AND json_type(metrics, '$.output_tokens') = 'integer' AND json_extract(metrics, '$.output_tokens') >= 0
      AND json_type(metrics, '$.tokens_planner') = 'integer' AND json_extract(metrics, '$.tokens_planner') >= 0
      AND json_type(metrics, '$.tokens_executor') = 'integer' AND json_extract(metrics, '$.tokens_executor') >= 0
      AND json_type(metrics, '$.entities_read') = 'integer' AND json_extract(metrics, '$.entities_read') >= 0
      AND json_type(metrics, '$.entities_written') = 'integer' AND json_extract(metrics, '$.entities_written') >= 0
      AND json_type(metrics, '$.validators_run_count') = 'integer' AND json_extract(metrics, '$.validators_run_count') >= 0
      AND json(metrics) = json_object('duration_ms', json_extract(metrics, '$.duration_ms'),
        'total_tokens', json_extract(metrics, '$.total_tokens'),
        'input_tokens', json_extract(metrics, '$.input_tokens'),
        'output_tokens', json_extract(metrics, '$.output_tokens'),
        'tokens_planner', json_extract(metrics, '$.tokens_planner'),
        'tokens_executor', json_extract(metrics, '$.tokens_executor'),
        'entities_read', json_extract(metrics, '$.entities_read'),
        'entities_written', json_extract(metrics, '$.entities_written'),
        'validators_run_count', json_extract(metrics, '$.validators_run_count')))`;

export const METRICS_CHECK_AFTER = `CHECK (json_valid(metrics)
      AND json(metrics) = json_object('duration_ms', max(0, coalesce(CAST(json_extract(metrics, '$.duration_ms') AS INTEGER), -1)),
        'total_tokens', max(0, coalesce(CAST(json_extract(metrics, '$.total_tokens') AS INTEGER), -1)),
        'input_tokens', max(0, coalesce(CAST(json_extract(metrics, '$.input_tokens') AS INTEGER), -1)),
        'output_tokens', max(0, coalesce(CAST(json_extract(metrics, '$.output_tokens') AS INTEGER), -1)),
        'tokens_planner', max(0, coalesce(CAST(json_extract(metrics, '$.tokens_planner') AS INTEGER), -1)),
        'tokens_executor', max(0, coalesce(CAST(json_extract(metrics, '$.tokens_executor') AS INTEGER), -1)),
        'entities_read', max(0, coalesce(CAST(json_extract(metrics, '$.entities_read') AS INTEGER), -1)),
        'entities_written', max(0, coalesce(CAST(json_extract(metrics, '$.entities_written') AS INTEGER), -1)),
        'validators_run_count', max(0, coalesce(CAST(json_extract(metrics, '$.validators_run_count') AS INTEGER), -1))))`;

export const LAYER_SCOPE_CHECK_BEFORE = `CHECK (json_valid(layer_scope) AND json_type(layer_scope) = 'object'
      AND json(layer_scope) = json_object('read', json_extract(layer_scope, '$.read'), 'write', json_extract(layer_scope, '$.write'))
      AND json_type(layer_scope, '$.read') = 'array' AND json_array_length(layer_scope, '$.read') <= 3
      AND coalesce(json_extract(layer_scope, '$.read[0]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.read[1]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.read[2]'), 'raw') IN ('raw', 'derived', 'display')
      AND json_type(layer_scope, '$.write') = 'array' AND json_array_length(layer_scope, '$.write') <= 3
      AND coalesce(json_extract(layer_scope, '$.write[0]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.write[1]'), 'raw') IN ('raw', 'derived', 'display')
      AND coalesce(json_extract(layer_scope, '$.write[2]'), 'raw') IN ('raw', 'derived', 'display'))`;

/** Every array of at most three layers (null allowed, as the old CHECK's coalesce allowed it). */
const LAYER_ARRAYS = `'[]',
  '["raw"]','["derived"]','["display"]','[null]',
  '["raw","raw"]','["raw","derived"]','["raw","display"]','["raw",null]',
  '["derived","raw"]','["derived","derived"]','["derived","display"]','["derived",null]',
  '["display","raw"]','["display","derived"]','["display","display"]','["display",null]',
  '[null,"raw"]','[null,"derived"]','[null,"display"]','[null,null]',
  '["raw","raw","raw"]','["raw","raw","derived"]','["raw","raw","display"]','["raw","raw",null]',
  '["raw","derived","raw"]','["raw","derived","derived"]','["raw","derived","display"]','["raw","derived",null]',
  '["raw","display","raw"]','["raw","display","derived"]','["raw","display","display"]','["raw","display",null]',
  '["raw",null,"raw"]','["raw",null,"derived"]','["raw",null,"display"]','["raw",null,null]',
  '["derived","raw","raw"]','["derived","raw","derived"]','["derived","raw","display"]','["derived","raw",null]',
  '["derived","derived","raw"]','["derived","derived","derived"]','["derived","derived","display"]','["derived","derived",null]',
  '["derived","display","raw"]','["derived","display","derived"]','["derived","display","display"]','["derived","display",null]',
  '["derived",null,"raw"]','["derived",null,"derived"]','["derived",null,"display"]','["derived",null,null]',
  '["display","raw","raw"]','["display","raw","derived"]','["display","raw","display"]','["display","raw",null]',
  '["display","derived","raw"]','["display","derived","derived"]','["display","derived","display"]','["display","derived",null]',
  '["display","display","raw"]','["display","display","derived"]','["display","display","display"]','["display","display",null]',
  '["display",null,"raw"]','["display",null,"derived"]','["display",null,"display"]','["display",null,null]',
  '[null,"raw","raw"]','[null,"raw","derived"]','[null,"raw","display"]','[null,"raw",null]',
  '[null,"derived","raw"]','[null,"derived","derived"]','[null,"derived","display"]','[null,"derived",null]',
  '[null,"display","raw"]','[null,"display","derived"]','[null,"display","display"]','[null,"display",null]',
  '[null,null,"raw"]','[null,null,"derived"]','[null,null,"display"]','[null,null,null]'`;

export const LAYER_SCOPE_CHECK_AFTER = `CHECK (json_valid(layer_scope)
      AND json(layer_scope) = json_object('read', layer_scope -> '$.read', 'write', layer_scope -> '$.write')
      AND layer_scope -> '$.read' IN (${LAYER_ARRAYS})
      AND layer_scope -> '$.write' IN (${LAYER_ARRAYS}))`;

const SQL = `
DROP INDEX workflow_runs_job;
`;

/** Replaces `before` by `after` in the table's definition, which must hold `before` exactly once. */
function swap(definition: string, before: string, after: string, what: string): string {
  const at = definition.indexOf(before);
  if (at < 0 || definition.indexOf(before, at + 1) >= 0) {
    throw new Error(`migration 10: the ${what} CHECK of ai_jobs is not the one migrations 1 and 6 wrote; the database was left unchanged`);
  }
  return definition.slice(0, at) + after + definition.slice(at + before.length);
}

function rewriteJobChecks(db: Database.Database): void {
  const definition = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'ai_jobs'").pluck().get() as string;
  const rewritten = swap(swap(definition, METRICS_CHECK_BEFORE, METRICS_CHECK_AFTER, 'metrics'), LAYER_SCOPE_CHECK_BEFORE, LAYER_SCOPE_CHECK_AFTER, 'layer_scope');
  const schemaVersion = db.pragma('schema_version', { simple: true }) as number;
  // better-sqlite3 keeps SQLite's defensive mode on, which forbids writing sqlite_schema.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'ai_jobs'").run(rewritten);
    db.pragma(`schema_version = ${schemaVersion + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
  // The connection re-reads the schema here: a definition that did not parse throws, and the
  // migration's transaction rolls back.
  db.prepare('SELECT metrics, layer_scope FROM ai_jobs LIMIT 0').all();
}

export const migration0010: Migration = {
  version: 10,
  name: 'cheaper equivalent CHECKs on ai_jobs metrics and layer_scope; drop the duplicate workflow_runs_job index',
  up(db) {
    rewriteJobChecks(db);
    db.exec(SQL);
  },
};
