/**
 * Migration 4 on a database in the previous shape (version 1, with events): every event kept with
 * its seq and id, the new event types accepted, fr_events still append-only, its indexes back,
 * and the diagnostics and problems tables in place.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databasePath } from '../open';
import { makeTempDir } from '../../testing/temp-dir';
import { migrate, schemaVersion } from '../migrate';
import { migration0001 } from './0001-initial';
import { migration0004 } from './0004-diagnostics';

function versionOneDatabase(): Database.Database {
  const db = new Database(databasePath(makeTempDir()));
  migrate(db, [migration0001]);
  const insert = db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload)
    VALUES (?, ?, ?, 'system', 'x', ?, ?)`);
  insert.run(randomUUID(), 'app_started', 1, randomUUID(), '{"version":"1","pid":1,"host":"cli","previous_stop":"first_start"}');
  insert.run(randomUUID(), 'app_stopped', 2, randomUUID(), '{"reason":"r"}');
  return db;
}

const names = (db: Database.Database, type: string) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = ? AND tbl_name IN ('fr_events', 'diagnostics', 'problems') ORDER BY name").pluck().all(type);

describe('migration 0004 (diagnostics; new event types)', () => {
  it('rebuilds fr_events keeping every row, its triggers and indexes, and adds diagnostics and problems', () => {
    const db = versionOneDatabase();
    const before = db.prepare('SELECT * FROM fr_events ORDER BY seq').all();
    const indexesBefore = names(db, 'index');
    migrate(db, [migration0001, migration0004]);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT * FROM fr_events ORDER BY seq').all()).toEqual(before);
    expect(names(db, 'index')).toEqual(expect.arrayContaining([...indexesBefore, 'idx_diag_fingerprint', 'idx_diag_job_id', 'problems_last_seen']));
    expect(names(db, 'trigger')).toEqual(['diagnostics_no_delete', 'diagnostics_no_update', 'fr_events_no_delete', 'fr_events_no_update']);
    db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload)
      VALUES (?, 'diagnostic', 3, 'system', 'x', ?, '{}')`).run(randomUUID(), randomUUID());
    expect(() => db.prepare("UPDATE fr_events SET actor_id = 'edited'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM fr_events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT max(seq) FROM fr_events').pluck().get()).toBe(3);
    expect(db.prepare('SELECT count(*) FROM diagnostics').pluck().get()).toBe(0);
    db.close();
  });

  it('still refuses an unknown event type after the rebuild', () => {
    const db = versionOneDatabase();
    migrate(db, [migration0001, migration0004]);
    expect(() =>
      db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload)
        VALUES (?, 'job_teleported', 3, 'system', 'x', ?, '{}')`).run(randomUUID(), randomUUID()),
    ).toThrow(/constraint/i);
    db.close();
  });
});
