import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir';
import { checkpointOffThread, flushWal, walSize } from './wal';

function walDatabase(): { db: Database.Database; file: string } {
  const file = path.join(makeTempDir(), 'wal.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2_000; i += 1) insert.run('x'.repeat(1_000));
  })();
  return { db, file };
}

describe('work on a large write-ahead log, off the event loop', () => {
  it('checkpoints every frame in a worker while the main connection stays open and usable', async () => {
    const { db, file } = walDatabase();
    expect(walSize(file)).toBeGreaterThan(2_000_000);
    const result = await checkpointOffThread(file);
    expect(result.log).toBeGreaterThan(0);
    expect(result.checkpointed).toBe(result.log);
    // The frames are in the database file: a copy of it alone, without the log, holds every row.
    const copy = `${file}.copy`;
    fs.copyFileSync(file, copy);
    expect(new Database(copy, { readonly: true }).prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2_000 });
    db.prepare('INSERT INTO t (body) VALUES (?)').run('after');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2_001 });
    db.close();
  });

  it('refuses to create a database that is not there, and flushes nothing when there is no log', async () => {
    const missing = path.join(makeTempDir(), 'missing.db');
    await expect(checkpointOffThread(missing)).rejects.toThrow();
    expect(fs.existsSync(missing)).toBe(false);
    await expect(flushWal(missing)).resolves.toBeUndefined();
  });
});
