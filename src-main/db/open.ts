/**
 * Opening <data-dir>/handshake.db: pragmas, then migrations.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, refuseUnknownDatabase } from './migrate';

export const DB_FILE_NAME = 'handshake.db';

/**
 * FULL: in WAL mode every commit is fsynced, so a job the API has accepted survives a power cut.
 * NORMAL is faster but may lose the last commits on power loss (never corrupts); the benchmark
 * reports both.
 */
export type Synchronous = 'FULL' | 'NORMAL';

export interface OpenOptions {
  synchronous?: Synchronous;
  readonly?: boolean;
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DB_FILE_NAME);
}

export function openDatabase(dataDir: string, options: OpenOptions = {}): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(databasePath(dataDir), { readonly: options.readonly ?? false });
  try {
    // Before any pragma that writes (journal_mode = WAL rewrites the header of a rollback-journal
    // file): a database from a newer version, or not written by this app, stays byte-identical.
    refuseUnknownDatabase(db);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache: list and recovery on a million-row history stay off the disk.
    db.pragma('cache_size = -65536');
    // Checkpoint every ~40 MiB of WAL instead of ~4 MiB: at synchronous=FULL each checkpoint costs
    // extra fsyncs of the database file, and fewer, larger ones measured ~25% more jobs/s.
    db.pragma('wal_autocheckpoint = 10000');
    // Statement and savepoint journals in memory: every write unit of the commit path is a
    // savepoint, and with temporary files each page it first touches was also written to a temp
    // file on disk (more than half the kernel time of a 5,000-run recovery). The journals hold only the
    // pages of one transaction; no query of the app sorts without an index.
    db.pragma('temp_store = MEMORY');
    if (!options.readonly) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
