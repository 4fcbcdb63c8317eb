/**
 * Migration 11: the same vocabularies enforced, with fewer lookup tables built per write.
 *
 * SQLite evaluates `x IN ('a', 'b', 'c', ...)` (more than two values) by filling a temporary
 * b-tree with the list once per statement run, and a single-row INSERT or UPDATE is one run:
 * every job, event, run, node and Diagnostic written one at a time refilled every list of its
 * table's CHECKs (ai_jobs has nine, two of them 85 JSON arrays long; fr_events two per event).
 *
 * The lists ARCHITECTURE.md gives as the schema's form are kept exactly as written: `job_kind`,
 * the job `status`, the modes and the actors (`KEPT_AS_WRITTEN`). Every other list in a CHECK or
 * a trigger is rewritten to an expression with the same value for every input, NULL included:
 * - `column IN ('a', 'b')` becomes `(column = 'a' OR column = 'b')`. Both compare with the
 *   column's affinity and collation, and both are NULL for a NULL column.
 * - `layer_scope -> '$.read' IN ('[]', '["raw"]', ...)` (migration 10's 85 arrays) becomes
 *   `instr('|[]|["raw"]|...|', '|' || (layer_scope -> '$.read') || '|') > 0`, so the JSON path
 *   is read once rather than once per alternative. `->` yields the minified text of one JSON
 *   value, and `|` never occurs in the list's values, so the only `|`-bounded pieces of the list
 *   text that are one JSON value are the values themselves (two values joined by `|` are not one
 *   value): the text is found exactly when it is one of them. A NULL path gives NULL, as before.
 *
 * Measured on copies of one 100,000-job history (raw SQL, median of 6 rounds in one sitting): a
 * batch of 2,000 jobs with their events went from 16,700 to 30,400 jobs/s, the three-transaction
 * lifecycle from 1,310 to 1,670 jobs/s (every list rewritten: 39,500 and 1,960).
 *
 * SQLite cannot alter a CHECK, and a table rebuild would copy every row at first start, so the
 * definitions are edited in place as migration 10 did (writable_schema, then schema_version + 1,
 * in the migration's transaction). The rewrite is frozen here with the number of lists each
 * object held in version 10; a definition holding any other number is refused, the database left
 * at version 10.
 *
 * Frozen once released, like every migration.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migration';

/** The objects that held constant IN lists in version 10, and how many each. */
export const IN_LISTS_AT_VERSION_10: Readonly<Record<string, number>> = {
  ai_jobs: 9,
  workflow_runs: 1,
  workflow_node_executions: 1,
  fr_events: 2,
  diagnostics: 5,
  problems: 3,
  ai_jobs_consent_shape: 1,
  ai_jobs_consent_shape_insert: 1,
};

/**
 * The lists left exactly as written, by object and subject: the vocabularies ARCHITECTURE.md
 * names as `CHECK (column IN (...))` (kinds, job states, modes, actors).
 */
export const KEPT_AS_WRITTEN: Readonly<Record<string, readonly string[]>> = {
  ai_jobs: ['job_kind', 'status', 'access_mode', 'safety_mode', 'execution_mode'],
  fr_events: ['actor'],
  diagnostics: ['actor'],
};

/** `column IN ('...', ...)`, `new.column IN (...)` or `column -> '$.key' IN (...)`, string literals only. */
const IN_LIST = /((?:new\.|old\.)?[a-z_]+(?:\s*->\s*'\$\.[a-z_]+')?)\s+IN\s*\(((?:\s*'[^']*'\s*,?)+)\)/g;

/**
 * The definition with each constant IN list rewritten (see above) except those of `kept`, and how
 * many lists it held in all.
 */
export function withoutInLists(definition: string, kept: readonly string[] = []): { sql: string; lists: number } {
  let lists = 0;
  const sql = definition.replace(IN_LIST, (whole: string, subject: string, list: string) => {
    lists += 1;
    if (kept.includes(subject)) return whole;
    const values = list.match(/'[^']*'/g) ?? [];
    if (subject.includes('->')) {
      if (values.some((value) => value.includes('|'))) throw new Error(`migration 11: a value of ${subject} holds '|'`);
      return `instr('|${values.map((value) => value.slice(1, -1)).join('|')}|', '|' || (${subject}) || '|') > 0`;
    }
    return `(${values.map((value) => `${subject} = ${value}`).join(' OR ')})`;
  });
  return { sql, lists };
}

function rewriteDefinitions(db: Database.Database): void {
  const objects = db
    .prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'trigger') AND sql IS NOT NULL ORDER BY name")
    .all() as Array<{ type: string; name: string; sql: string }>;
  const rewritten: Array<{ type: string; name: string; sql: string }> = [];
  for (const object of objects) {
    const { sql, lists } = withoutInLists(object.sql, KEPT_AS_WRITTEN[object.name]);
    const expected = IN_LISTS_AT_VERSION_10[object.name] ?? 0;
    if (lists !== expected) {
      throw new Error(`migration 11: ${object.name} holds ${lists} IN lists where version 10 wrote ${expected}; the database was left unchanged`);
    }
    if (sql !== object.sql) rewritten.push({ ...object, sql });
  }
  const schemaVersion = db.pragma('schema_version', { simple: true }) as number;
  // better-sqlite3 keeps SQLite's defensive mode on, which forbids writing sqlite_schema.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    const update = db.prepare('UPDATE sqlite_schema SET sql = ? WHERE type = ? AND name = ?');
    for (const object of rewritten) update.run(object.sql, object.type, object.name);
    db.pragma(`schema_version = ${schemaVersion + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
  // The connection re-reads the schema here: a definition that did not parse throws, and the
  // migration's transaction rolls back.
  for (const table of ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events', 'diagnostics', 'problems']) {
    db.prepare(`SELECT * FROM ${table} LIMIT 0`).all();
  }
}

export const migration0011: Migration = {
  version: 11,
  name: 'CHECK and trigger lists as comparisons, except the vocabularies ARCHITECTURE.md names (fewer lookup tables built per write)',
  up(db) {
    rewriteDefinitions(db);
  },
};
