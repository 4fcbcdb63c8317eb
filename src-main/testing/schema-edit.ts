/**
 * Damages a stored table definition by hand, as a tool or an older build might have left it, so
 * migrations that edit definitions in place can be shown to refuse one they do not recognise.
 * SQLite's writable_schema procedure; defensive mode is back on afterwards.
 */
import type Database from 'better-sqlite3';

export function replaceInStoredDefinition(db: Database.Database, name: string, from: string, to: string): void {
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare('UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ?').run(from, to, name);
    db.pragma(`schema_version = ${(db.pragma('schema_version', { simple: true }) as number) + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
}
