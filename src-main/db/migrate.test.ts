import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HskError } from '../../src-shared/errors';
import { makeTempDir } from '../testing/temp-dir';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion, type Migration } from './migrate';
import { databasePath, openDatabase } from './open';

function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );
}

function fileHash(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** A database file whose user_version is newer than this app knows, written without this app. */
function newerDatabase(journalMode: 'WAL' | 'DELETE'): string {
  const dir = makeTempDir();
  const db = new Database(databasePath(dir));
  db.pragma(`journal_mode = ${journalMode}`);
  db.exec("CREATE TABLE future_things (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO future_things(note) VALUES ('keep me')");
  db.pragma(`user_version = ${LATEST_VERSION + 1}`);
  db.close();
  return dir;
}

describe('openDatabase', () => {
  it('opens with the settings the write path relies on: WAL, FULL, foreign keys, journals in memory', () => {
    const db = openDatabase(makeTempDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // 2 = MEMORY: a savepoint's journal never goes through a temporary file.
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.close();
  });
});

describe('migrate', () => {
  it('brings a fresh database to LATEST_VERSION and sets user_version', () => {
    const db = openDatabase(makeTempDir());
    // Versions strictly increase (numbers are assigned per issue, so the list may have gaps).
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(LATEST_VERSION).toBe(versions.at(-1));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events']));
    db.close();
  });

  it('is a no-op on reopening: same version, same schema, data kept', () => {
    const dir = makeTempDir();
    const first = openDatabase(dir);
    first.exec("INSERT INTO app_meta(key, value) VALUES ('k', 'v')");
    const schemaBefore = first.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    first.close();

    const second = openDatabase(dir);
    expect(migrate(second)).toBe(LATEST_VERSION);
    expect(second.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
    expect(second.prepare("SELECT value FROM app_meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    second.close();
  });

  it.each(['WAL', 'DELETE'] as const)(
    'refuses a database from a newer version (%s journal) with HSK-426 and leaves it byte-identical',
    (journalMode) => {
      const dir = newerDatabase(journalMode);
      const file = databasePath(dir);
      const before = fileHash(file);

      const error = thrown(() => openDatabase(dir));
      expect(error).toBeInstanceOf(HskError);
      expect((error as HskError).code).toBe('HSK-426-DATABASE-TOO-NEW');
      expect((error as HskError).message).toMatch(/newer version/);

      expect(fileHash(file)).toBe(before);
      const check = new Database(file, { readonly: true });
      expect(schemaVersion(check)).toBe(LATEST_VERSION + 1);
      expect(check.prepare('SELECT note FROM future_things').all()).toEqual([{ note: 'keep me' }]);
      check.close();
    },
  );

  it('rolls a failing migration back completely: no table, no version bump', () => {
    const db = new Database(':memory:');
    const failing: Migration = {
      version: LATEST_VERSION + 1,
      name: 'fails halfway',
      up(target) {
        target.exec('CREATE TABLE half_done (id INTEGER)');
        target.exec('INSERT INTO half_done VALUES (1)');
        throw new Error('disk on fire');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, failing])).toThrow('disk on fire');
    expect(schemaVersion(db)).toBe(0);
    expect(tableNames(db)).toEqual([]);
    db.close();
  });

  it('keeps a migrated database and its data intact when a later migration fails', () => {
    const dir = makeTempDir();
    const db = openDatabase(dir);
    db.exec("INSERT INTO app_meta(key, value) VALUES ('k', 'v')");
    const failing: Migration = {
      version: LATEST_VERSION + 1,
      name: 'drops data then fails',
      up(target) {
        target.exec('DELETE FROM app_meta');
        throw new Error('bad migration');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, failing])).toThrow('bad migration');
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM app_meta').get()).toEqual({ n: 1 });
    db.close();
  });
});

describe('a database not written by this app', () => {
  it('refuses an original-Handshake database untouched and says how to import it', () => {
    const dir = makeTempDir();
    const legacy = new Database(databasePath(dir));
    legacy.exec("CREATE TABLE ai_jobs (id TEXT PRIMARY KEY, job_kind TEXT, status TEXT); INSERT INTO ai_jobs VALUES ('a', 'term_exec', 'running')");
    legacy.close();
    const before = fileHash(databasePath(dir));

    const error = thrown(() => openDatabase(dir));

    expect(error).toBeInstanceOf(HskError);
    expect(error).toMatchObject({ code: 'HSK-409-LEGACY-DATABASE' });
    expect((error as HskError).message).toMatch(/left untouched.*npm run import-legacy -- --from .*handshake\.db --data-dir NEW_DIR/);
    expect(fileHash(databasePath(dir))).toBe(before);
  });

  it('refuses any other unversioned database with tables, and still opens an empty file', () => {
    const dir = makeTempDir();
    const other = new Database(databasePath(dir));
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    expect(thrown(() => openDatabase(dir))).toMatchObject({ code: 'HSK-409-LEGACY-DATABASE', message: expect.stringMatching(/not written by Handshake Jobs/) });

    const emptyDir = makeTempDir();
    new Database(databasePath(emptyDir)).close();
    const db = openDatabase(emptyDir);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });
});
