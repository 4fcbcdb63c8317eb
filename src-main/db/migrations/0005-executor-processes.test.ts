import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../testing/temp-dir';
import { databasePath } from '../open';
import { migrate, schemaVersion } from '../migrate';
import { migration0001 } from './0001-initial';
import { migration0004 } from './0004-diagnostics';
import { migration0005 } from './0005-executor-processes';

const TRACE = '00000000-0000-4000-8000-000000000001';

/** A database in the shape version 4 left it, with events in it. */
function version4Database(): Database.Database {
  const db = new Database(databasePath(makeTempDir()));
  migrate(db, [migration0001, migration0004]);
  const insert = db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, job_id, payload)
    VALUES (?, ?, ?, 'system', 'x', ?, ?, ?)`);
  insert.run('00000000-0000-4000-8000-00000000000a', 'app_started', 1, TRACE, null, '{"version":"1","pid":1,"host":"browser","previous_stop":"first_start"}');
  insert.run('00000000-0000-4000-8000-00000000000b', 'app_stopped', 2, TRACE, TRACE, '{"reason":"quit"}');
  return db;
}

describe('migration 5: executor processes and two event types', () => {
  it('keeps every event (seq included), allows the new types, and keeps fr_events append-only', () => {
    const db = version4Database();
    const before = db.prepare('SELECT * FROM fr_events ORDER BY seq').all();
    migrate(db, [migration0001, migration0004, migration0005]);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT * FROM fr_events ORDER BY seq').all()).toEqual(before);
    db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload)
      VALUES ('00000000-0000-4000-8000-00000000000c', 'process_recovery', 3, 'system', 'x', ?, '{}')`).run(TRACE);
    expect(() => db.prepare("UPDATE fr_events SET actor_id = 'edited'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM fr_events').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload) VALUES ('e', 'job_teleported', 4, 'system', 'x', 't', '{}')").run()).toThrow(/constraint/i);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fr_events' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['fr_events_job', 'fr_events_trace', 'fr_events_type']);
    db.close();
  });

  it('creates executor_processes, which refuses a process without a run', () => {
    const db = version4Database();
    migrate(db, [migration0001, migration0004, migration0005]);
    db.pragma('foreign_keys = ON');
    expect(() =>
      db.prepare("INSERT INTO executor_processes (workflow_run_id, pid, pgid, command, started_at) VALUES ('no-such-run', 10, 10, 'sleep', 1)").run(),
    ).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) FROM executor_processes').pluck().get()).toBe(0);
    db.close();
  });
});
