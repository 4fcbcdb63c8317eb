/**
 * The Flight Recorder: an append-only, validated event log in `fr_events`, correlated by trace_id.
 * Callers that change state record their event inside the same transaction (better-sqlite3 nests
 * transactions as savepoints), so a state change and its event are stored together or not at all.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ActorSchema, type Actor } from '../../src-shared/enums';
import { ERROR_CODES, HskError, issuesOf } from '../../src-shared/errors';
import {
  EVENT_PAYLOADS,
  EventTypeSchema,
  REQUIRED_ACTOR,
  type EventDraft,
  type EventType,
  type FlightEvent,
} from '../../src-shared/events';
import { UuidSchema } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';
import type { EventQuery } from '../../src-shared/ipc';
import { Conditions } from '../db/conditions';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { uuidv7 } from '../db/ids';
import { MultiRowInsert } from '../db/multi-row-insert';
import { StatementCache } from '../db/statement-cache';
import { Redactor } from '../security/redact';

const MAX_PAYLOAD_BYTES = 64 * 1024;
export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

const DraftEnvelopeSchema = z.strictObject({
  type: EventTypeSchema,
  actor: ActorSchema,
  actor_id: z.string().min(1).max(128).optional(),
  trace_id: UuidSchema,
  job_id: UuidSchema.nullable().optional(),
  workflow_run_id: UuidSchema.nullable().optional(),
  model_id: z.string().min(1).max(256).nullable().optional(),
  capability_id: z.string().min(1).max(128).nullable().optional(),
  payload: z.unknown(),
});

export interface EventPage {
  items: FlightEvent[];
  next_cursor: string | null;
  /** Events older than this were purged by retention; null when nothing was ever purged. */
  purged_before: string | null;
}

/** An event as stored, without its seq (assigned on insert). */
export type StoredEvent = Omit<EventRow, 'seq'>;

interface EventRow {
  seq: number;
  event_id: string;
  type: EventType;
  timestamp: number;
  actor: Actor;
  actor_id: string;
  trace_id: string;
  job_id: string | null;
  workflow_run_id: string | null;
  model_id: string | null;
  capability_id: string | null;
  payload: string;
}

function toEvent(row: EventRow): FlightEvent {
  return {
    seq: row.seq,
    event_id: row.event_id,
    type: row.type,
    timestamp: toRfc3339(row.timestamp),
    actor: row.actor,
    actor_id: row.actor_id,
    trace_id: row.trace_id,
    job_id: row.job_id,
    workflow_run_id: row.workflow_run_id,
    model_id: row.model_id,
    capability_id: row.capability_id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

function invalidEvent(message: string, details?: unknown): HskError {
  return new HskError(ERROR_CODES.invalidEvent, `HSK-400-INVALID-EVENT: ${message}`, details);
}

/** A new event's columns besides its seq, timestamp and payload: a fresh id and the draft's own. */
function newEventColumns(draft: EventDraft): Omit<EventRow, 'seq' | 'timestamp' | 'payload'> {
  return {
    event_id: uuidv7(),
    type: draft.type,
    actor: draft.actor,
    actor_id: draft.actor_id ?? draft.actor,
    trace_id: draft.trace_id,
    job_id: draft.job_id ?? null,
    workflow_run_id: draft.workflow_run_id ?? null,
    model_id: draft.model_id ?? null,
    capability_id: draft.capability_id ?? null,
  };
}

/** Checks an event's shape against its type's schema (HSK-TRAIT-003); returns the clean draft. */
export function validateEvent(draft: unknown): EventDraft {
  return checkEvent(draft).event;
}

/** validateEvent, with the payload as it is stored (serialised once, for the size check and the row). */
function checkEvent(draft: unknown): { event: EventDraft; payload: string } {
  const envelope = DraftEnvelopeSchema.safeParse(draft);
  if (!envelope.success) throw invalidEvent('bad envelope', { issues: issuesOf(envelope.error) });
  const value = envelope.data;
  const requiredActor = REQUIRED_ACTOR[value.type];
  if (requiredActor && value.actor !== requiredActor) {
    throw invalidEvent(`${value.type} events must have actor ${requiredActor}, not ${value.actor}`);
  }
  const payload = EVENT_PAYLOADS[value.type].safeParse(value.payload);
  if (!payload.success) throw invalidEvent(`bad ${value.type} payload`, { issues: issuesOf(payload.error) });
  if (value.type === 'llm_inference') {
    const inference = payload.data as { trace_id: string; model_id: string };
    if (!value.model_id) throw invalidEvent('llm_inference events need model_id on the event');
    if (inference.trace_id !== value.trace_id || inference.model_id !== value.model_id) {
      throw invalidEvent('llm_inference payload trace_id/model_id must match the event');
    }
  }
  const serialised = JSON.stringify(payload.data);
  const bytes = Buffer.byteLength(serialised);
  if (bytes > MAX_PAYLOAD_BYTES) throw invalidEvent(`payload is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  return { event: { ...value, payload: payload.data } as EventDraft, payload: serialised };
}

/** The draft with every string of its payload redacted; anything that is not a draft is left to validation. */
function redactDraft(draft: EventDraft): unknown {
  if (typeof draft !== 'object' || draft === null) return draft;
  return { ...draft, payload: new Redactor().redactValue(draft.payload) };
}

const EVENT_COLUMNS = ['event_id', 'type', 'timestamp', 'actor', 'actor_id', 'trace_id', 'job_id', 'workflow_run_id', 'model_id', 'capability_id', 'payload'] as const;

export class FlightRecorder {
  private lastTimestamp = 0;
  private readonly insert: Database.Statement;
  private readonly insertMany: MultiRowInsert;
  private readonly lastMarker: Database.Statement;
  private readonly jobOfRun: Database.Statement;
  private readonly rowAtOrAfter: Database.Statement;
  private readonly lastSeq: Database.Statement;
  private readonly ofTypeBetween: Database.Statement;
  private readonly statements: StatementCache;
  private readonly getMeta: Database.Statement;
  private readonly setMeta: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare(`INSERT INTO fr_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
    this.insertMany = new MultiRowInsert(db, 'fr_events', EVENT_COLUMNS);
    this.lastMarker = db.prepare(
      "SELECT type FROM fr_events WHERE type IN ('app_started', 'app_stopped') ORDER BY seq DESC LIMIT 1",
    );
    this.getMeta = db.prepare('SELECT value FROM app_meta WHERE key = ?');
    this.jobOfRun = db.prepare('SELECT job_id FROM workflow_runs WHERE workflow_run_id = ?').pluck();
    this.setMeta = db.prepare(
      'INSERT INTO app_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.rowAtOrAfter = db.prepare('SELECT seq, timestamp FROM fr_events WHERE seq >= ? ORDER BY seq LIMIT 1');
    this.lastSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM fr_events').pluck();
    this.ofTypeBetween = db.prepare('SELECT * FROM fr_events WHERE type = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
    this.statements = new StatementCache(db);
    // Timestamps never decrease along seq, so the newest row holds the latest one.
    const newest = db.prepare('SELECT timestamp FROM fr_events ORDER BY seq DESC LIMIT 1').get() as
      | { timestamp: number }
      | undefined;
    this.lastTimestamp = newest?.timestamp ?? 0;
  }

  /** Timestamps never go backwards within the log, even if the wall clock does. */
  private nextTimestamp(): number {
    this.lastTimestamp = Math.max(this.now(), this.lastTimestamp);
    return this.lastTimestamp;
  }

  /**
   * Redacts, validates and appends one event. The Secret Redactor runs on every string of the
   * payload before anything is committed (§5.6), whoever produced it. Throws
   * HSK-400-INVALID-EVENT and stores nothing on a bad shape.
   */
  record(draft: EventDraft): FlightEvent {
    const { event, payload } = checkEvent(redactDraft(draft));
    const row: Omit<EventRow, 'seq'> = { ...newEventColumns(event), timestamp: this.nextTimestamp(), payload };
    const result = this.insertRow(row);
    // Built from what was written rather than read back: the row is exactly these values.
    const { payload: _serialised, ...columns } = row;
    return {
      ...columns,
      seq: Number(result.lastInsertRowid),
      timestamp: toRfc3339(row.timestamp),
      payload: event.payload as Record<string, unknown>,
    };
  }

  /**
   * Appends a batch of events that the caller built from values it has already checked against
   * their type's schema (the job_created events of store.createJobs, from the jobs of a parsed
   * batch), in multi-row inserts. Every string of every payload is redacted here, as in record();
   * the per-event schema parse is what is left out. All events of the batch share one timestamp.
   */
  recordChecked(drafts: readonly EventDraft[]): FlightEvent[] {
    if (drafts.length === 0) return [];
    const redactor = new Redactor();
    const timestamp = this.nextTimestamp();
    const at = toRfc3339(timestamp);
    const events: FlightEvent[] = [];
    const rows: unknown[][] = [];
    for (const draft of drafts) {
      const payload = redactor.redactValue(draft.payload) as Record<string, unknown>;
      const event: FlightEvent = { seq: 0, ...newEventColumns(draft), timestamp: at, payload };
      events.push(event);
      rows.push([event.event_id, event.type, timestamp, event.actor, event.actor_id, event.trace_id, event.job_id,
        event.workflow_run_id, event.model_id, event.capability_id, JSON.stringify(payload)]);
    }
    const lastSeq = this.sinkWrite(drafts[0]!.type, () => this.insertMany.run(rows));
    // The rows of one statement take consecutive rowids, in order: seq follows from the last one.
    events.forEach((event, i) => (event.seq = lastSeq - events.length + 1 + i));
    return events;
  }

  /** The events of one type with seq in (after, through], oldest first, at most `limit` (the fr_events_type index). */
  ofType(type: EventType, after: number, through: number, limit: number): FlightEvent[] {
    return (this.ofTypeBetween.all(type, after, through, limit) as EventRow[]).map(toEvent);
  }

  /**
   * Appends copies of events this log already holds (the seed's copies of engine-made history):
   * each was validated and redacted when first recorded, and keeps its columns. Timestamps must not
   * go backwards along the log (HSK-400-INVALID-EVENT, nothing written), and the next recorded
   * event comes after the last copy.
   */
  appendCopies(rows: readonly StoredEvent[]): void {
    let last = this.lastTimestamp;
    for (const row of rows) {
      if (row.timestamp < last) throw invalidEvent(`a copied ${row.type} event at ${row.timestamp} would precede ${last} in the log`);
      last = row.timestamp;
    }
    if (rows.length === 0) return;
    this.sinkWrite(rows[0]!.type, () => this.insertMany.run(rows.map((row) => EVENT_COLUMNS.map((column) => row[column]))));
    this.lastTimestamp = last;
  }

  private insertRow(row: Omit<EventRow, 'seq'>): Database.RunResult {
    // Bound by position: named parameters cost one property lookup each, up to 5 µs an event.
    return this.sinkWrite(row.type, () => this.insert.run(EVENT_COLUMNS.map((column) => row[column])));
  }

  /** A sink failure (disk full, I/O error, a locked or read-only file) is HSK-500-DB (§11.5). */
  private sinkWrite<T>(type: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new HskError(ERROR_CODES.database, `The Flight Recorder could not store a ${type} event: ${message}`, { type });
    }
  }

  list(filter: EventQuery): EventPage {
    const order = filter.order ?? 'desc';
    const limit = filter.limit ?? 100;
    const where = new Conditions();
    where.when(filter.event_id, 'event_id = @event_id', 'event_id');
    where.when(filter.job_id, 'job_id = @job_id', 'job_id');
    where.when(filter.trace_id, 'trace_id = @trace_id', 'trace_id');
    where.when(filter.workflow_run_id, 'workflow_run_id = @workflow_run_id', 'workflow_run_id');
    // fr_events is indexed by job, not by run: narrow a run query to the run's job when it is known.
    if (filter.workflow_run_id && !filter.job_id) {
      where.when(this.jobOfRun.get(filter.workflow_run_id) as string | undefined, 'job_id = @run_job_id', 'run_job_id');
    }
    where.when(filter.actor, 'actor = @actor', 'actor');
    // A time range is a seq range (timestamps never decrease along seq): bound seq so the query
    // walks only that slice of the log; the timestamp predicates keep the result exact.
    if (filter.from !== undefined) {
      where.raw('seq >= @from_seq AND timestamp >= @from', { from_seq: this.firstSeqAtOrAfter(filter.from), from: filter.from });
    }
    if (filter.to !== undefined) {
      where.raw('seq < @to_seq AND timestamp <= @to', { to_seq: this.firstSeqAtOrAfter(filter.to + 1), to: filter.to });
    }
    where.oneOf('type', 'type', filter.type);
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, 'events');
      where.raw(order === 'desc' ? 'seq < @after' : 'seq > @after', { after: cursor.seq });
    }
    const sql = `SELECT * FROM fr_events ${this.indexFor(filter, where)} ${where.toSql()}
      ORDER BY seq ${order === 'desc' ? 'DESC' : 'ASC'} LIMIT ${limit + 1}`;
    const rows = this.statements.get(sql).all(where.params) as EventRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toEvent),
      next_cursor: rows.length > limit && last ? encodeCursor('events', { seq: last.seq }) : null,
      purged_before: this.purgedBefore(),
    };
  }

  /**
   * A job's or a trace's events come from its (…, seq) index, already in seq order. Said outright:
   * with statistics showing a few huge traces, the planner would walk the whole log in seq order
   * instead, skipping every other trace's events (100 ms for a page of a 1,000,000-event trace).
   */
  private indexFor(filter: EventQuery, where: Conditions): string {
    if (filter.event_id) return '';
    if (filter.job_id || where.params.run_job_id !== undefined) return 'INDEXED BY fr_events_job';
    return filter.trace_id ? 'INDEXED BY fr_events_trace' : '';
  }

  /**
   * The smallest seq from which every event has timestamp >= `ms` (binary search over the rowid:
   * about 20 point lookups on a million events, and no timestamp index to maintain on each insert).
   */
  firstSeqAtOrAfter(ms: number): number {
    const last = this.lastSeq.get() as number;
    let low = 0;
    let high = last + 1;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      const row = this.rowAtOrAfter.get(mid) as { seq: number; timestamp: number } | undefined;
      if (!row || row.timestamp >= ms) high = mid;
      else low = row.seq + 1;
    }
    return low;
  }

  /** How the previous process ended, read from the last lifecycle marker. */
  previousStop(): 'clean' | 'crash' | 'first_start' {
    const row = this.lastMarker.get() as { type: EventType } | undefined;
    if (!row) return 'first_start';
    return row.type === 'app_stopped' ? 'clean' : 'crash';
  }

  purgedBefore(): string | null {
    const row = this.getMeta.get('fr_purged_before') as { value: string } | undefined;
    return row?.value ?? null;
  }

  /**
   * Deletes events older than the retention window and remembers the cutoff (so the UI can say
   * "removed by retention" rather than show a silent gap), in the caller's transaction; the caller
   * records the retention_purge event when anything was removed.
   */
  purge(retentionDays: number): { deleted: number; cutoff: string } {
    if (!(retentionDays > 0)) throw new HskError(ERROR_CODES.invalidInput, 'retention_days must be positive');
    const cutoffMs = this.now() - retentionDays * DAY_MS;
    const cutoff = toRfc3339(cutoffMs);
    this.statements.get('INSERT INTO fr_purge_marker(active) VALUES (1)').run();
    const deleted = this.statements.get('DELETE FROM fr_events WHERE seq < ?').run(this.firstSeqAtOrAfter(cutoffMs)).changes;
    this.statements.get('DELETE FROM fr_purge_marker').run();
    const previous = this.purgedBefore();
    if (deleted > 0 && (!previous || previous < cutoff)) this.setMeta.run('fr_purged_before', cutoff);
    return { deleted, cutoff };
  }
}
