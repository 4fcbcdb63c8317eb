/**
 * The migration runner, on PRAGMA user_version. All pending migrations (db/migrations/, one file
 * each) run in one transaction; a database from a newer version of the app is refused and left
 * untouched. No migration deletes user data.
 */
import type Database from 'better-sqlite3';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export { MIGRATIONS, type Migration };

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
