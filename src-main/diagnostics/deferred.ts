/**
 * Events recorded now whose Diagnostics are written a little later. Startup recovery is the one
 * user: it stalls runs and records their workflow_recovery events before intake opens, and their
 * Diagnostics (instances, problems, `diagnostic` events) follow once the app is serving, so the
 * wait for a first job is not spent on derived records.
 *
 * The range of events waiting (by seq) is kept in app_meta, written in the same transaction as
 * the events and advanced in the same transaction as their Diagnostics: a crash in between loses
 * none and doubles none, and the next start finishes the range.
 */
import type Database from 'better-sqlite3';
import type { EventType } from '../../src-shared/events';

/** The only events whose Diagnostics may wait. */
export const DEFERRABLE_TYPES: ReadonlySet<EventType> = new Set(['workflow_recovery']);

const KEY = 'diagnostics_deferred';

/** Events with seq in (after, through] of a deferrable type have no Diagnostic yet. */
export interface DeferredRange {
  after: number;
  through: number;
}

export class DeferredDiagnostics {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      get: db.prepare(`SELECT value FROM app_meta WHERE key = '${KEY}'`).pluck(),
      // Widens the range already waiting (a second pass, or one left by a crash) to cover the new events.
      mark: db.prepare(`INSERT INTO app_meta (key, value) VALUES ('${KEY}', json_object('after', @after, 'through', @through))
        ON CONFLICT (key) DO UPDATE SET value = json_object(
          'after', min(value ->> 'after', @after), 'through', max(value ->> 'through', @through))`),
      set: db.prepare(`UPDATE app_meta SET value = json_object('after', @after, 'through', @through) WHERE key = '${KEY}'`),
      clear: db.prepare(`DELETE FROM app_meta WHERE key = '${KEY}'`),
    };
  }

  /** Records that the events firstSeq..lastSeq wait for their Diagnostics. Caller's transaction. */
  mark(firstSeq: number, lastSeq: number): void {
    this.sql.mark.run({ after: firstSeq - 1, through: lastSeq });
  }

  pending(): DeferredRange | null {
    const value = this.sql.get.get() as string | undefined;
    if (value === undefined) return null;
    const range = JSON.parse(value) as Partial<DeferredRange>;
    if (!Number.isSafeInteger(range.after) || !Number.isSafeInteger(range.through)) {
      throw new Error(`app_meta ${KEY} is not a seq range: ${value}`);
    }
    return range as DeferredRange;
  }

  /** The events through `seq` have their Diagnostics now. Caller's transaction (the one that wrote them). */
  advance(range: DeferredRange, seq: number): void {
    if (seq >= range.through) this.sql.clear.run();
    else this.sql.set.run({ after: seq, through: range.through });
  }
}
