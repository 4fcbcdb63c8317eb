/**
 * Numbered migrations on PRAGMA user_version. All pending migrations run in one transaction; a
 * database from a newer version of the app is refused and left untouched. No migration deletes
 * user data.
 */
import type Database from 'better-sqlite3';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { AI_JOBS_TABLE, FR_EVENTS_TABLE, NODE_EXECUTIONS_TABLE, WORKFLOW_RUNS_TABLE } from './schema';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * The full-text index over the fields people search for, kept in step by triggers. It is split in
 * two so a state change re-indexes only the small fields that change (reason, error, outputs, run)
 * and never re-tokenises job_inputs, which are written once.
 */
const FTS_STATIC_COLUMNS = ['job_id', 'trace_id', 'protocol_id', 'job_inputs'] as const;
const FTS_DYNAMIC_COLUMNS = ['workflow_run_id', 'status_reason', 'error_message', 'job_outputs'] as const;

function ftsTable(name: string, columns: readonly string[], updatable: boolean): string {
  const cols = columns.join(', ');
  const newValues = columns.map((column) => `new.${column}`).join(', ');
  const oldValues = columns.map((column) => `old.${column}`).join(', ');
  const update = updatable
    ? `
CREATE TRIGGER ${name}_update AFTER UPDATE OF ${cols} ON ai_jobs BEGIN
  INSERT INTO ${name}(${name}, rowid, ${cols}) VALUES ('delete', old.rowid, ${oldValues});
  INSERT INTO ${name}(rowid, ${cols}) VALUES (new.rowid, ${newValues});
END;`
    : `
CREATE TRIGGER ${name}_update BEFORE UPDATE OF ${cols} ON ai_jobs BEGIN
  SELECT RAISE(ABORT, '${cols} are written once');
END;`;
  return `
CREATE VIRTUAL TABLE ${name} USING fts5(${cols}, content='ai_jobs', content_rowid='rowid');
CREATE TRIGGER ${name}_insert AFTER INSERT ON ai_jobs BEGIN
  INSERT INTO ${name}(rowid, ${cols}) VALUES (new.rowid, ${newValues});
END;
CREATE TRIGGER ${name}_delete AFTER DELETE ON ai_jobs BEGIN
  INSERT INTO ${name}(${name}, rowid, ${cols}) VALUES ('delete', old.rowid, ${oldValues});
END;${update}`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, workflow runs, node executions, flight recorder',
    up(db) {
      db.exec(`
${AI_JOBS_TABLE};
CREATE INDEX ai_jobs_created ON ai_jobs(created_at);
CREATE INDEX ai_jobs_updated ON ai_jobs(updated_at);
CREATE INDEX ai_jobs_status_created ON ai_jobs(status, created_at);
CREATE INDEX ai_jobs_kind_created ON ai_jobs(job_kind, created_at);
CREATE INDEX ai_jobs_trace ON ai_jobs(trace_id);
CREATE INDEX ai_jobs_workflow_run ON ai_jobs(workflow_run_id) WHERE workflow_run_id IS NOT NULL;

${ftsTable('ai_jobs_fts', FTS_STATIC_COLUMNS, false)}
${ftsTable('ai_jobs_fts_state', FTS_DYNAMIC_COLUMNS, true)}

${WORKFLOW_RUNS_TABLE};
CREATE INDEX workflow_runs_job ON workflow_runs(job_id, attempt);
-- The startup recovery scan reads only running runs, never the whole history.
CREATE INDEX workflow_runs_running ON workflow_runs(last_heartbeat) WHERE status = 'running';

${NODE_EXECUTIONS_TABLE};
CREATE INDEX workflow_node_executions_run ON workflow_node_executions(workflow_run_id, sequence);

${FR_EVENTS_TABLE};
-- No index on workflow_run_id: a run belongs to one job, so run queries go through the job index
-- (one index less to maintain on every event).
CREATE INDEX fr_events_job ON fr_events(job_id, seq) WHERE job_id IS NOT NULL;
CREATE INDEX fr_events_trace ON fr_events(trace_id, seq);
CREATE INDEX fr_events_type ON fr_events(type, seq);

-- Append-only: no update ever; deletes only by the retention purge, which marks itself first.
CREATE TABLE fr_purge_marker (active INTEGER NOT NULL PRIMARY KEY CHECK (active = 1)) STRICT;
CREATE TRIGGER fr_events_no_update BEFORE UPDATE ON fr_events BEGIN
  SELECT RAISE(ABORT, 'fr_events is append-only');
END;
CREATE TRIGGER fr_events_no_delete BEFORE DELETE ON fr_events
WHEN NOT EXISTS (SELECT 1 FROM fr_purge_marker) BEGIN
  SELECT RAISE(ABORT, 'fr_events is append-only; only the retention purge deletes');
END;

CREATE TABLE app_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) STRICT;

-- Legacy rows that could not be normalised without guessing: kept whole, with the reason.
CREATE TABLE legacy_quarantine (
  quarantine_id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  legacy_table TEXT NOT NULL,
  legacy_id TEXT,
  reason TEXT NOT NULL,
  row_json TEXT NOT NULL CHECK (json_valid(row_json)),
  quarantined_at INTEGER NOT NULL,
  UNIQUE (source, legacy_table, legacy_id)
) STRICT;
`);
    },
  },
];

/**
 * A database with tables but no schema version was not written by this app: most likely the
 * original Handshake's, whose rows need normalising (GAP-1..5). Refuse it, untouched, and say how
 * to import it, rather than fail half-way through migration 1.
 */
function refuseForeignDatabase(db: Database.Database): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return;
  const legacy = tables.includes('ai_jobs');
  throw new HskError(
    ERROR_CODES.legacyDatabase,
    legacy
      ? `This database holds jobs written by the original Handshake (tables ${tables.join(', ')}, no schema version). It was left untouched. Import it into a new data dir with: npm run import-legacy -- --from ${db.name} --data-dir NEW_DIR`
      : `This database was not written by Handshake Jobs (tables ${tables.join(', ')}, no schema version). It was left untouched; choose another --data-dir.`,
    { tables },
  );
}

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses a database this version must not open: one written by a newer version (HSK-426) or one
 * with tables but no schema version (HSK-409-LEGACY-DATABASE). Reads only, so it changes nothing.
 */
export function refuseUnknownDatabase(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new HskError(
      ERROR_CODES.databaseTooNew,
      `This database was written by a newer version of Handshake Jobs (schema ${current}; this version knows up to ${latest}). It was left untouched; open it with a newer version.`,
      { schema_version: current, supported_version: latest },
    );
  }
  if (current === 0) refuseForeignDatabase(db);
}

/** Brings the database to the latest version in one transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  refuseUnknownDatabase(db, migrations);
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  const pending = migrations.filter((migration) => migration.version > current);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return latest;
}
