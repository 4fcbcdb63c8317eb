/**
 * The ai_jobs table: creating jobs, reading and listing them, and the one guarded write of a job's
 * state. Inputs are typed values, parsed where they entered the process (router, CLI, legacy
 * reader); this module enforces the transition table and writes each change with its event.
 */
import { Conditions } from '../db/conditions';
import type Database from 'better-sqlite3';
import type { Actor, JobState } from '../../src-shared/enums';
import { z } from 'zod';
import { ERROR_CODES, HskError, fieldError, parseOrThrow } from '../../src-shared/errors';
import type { EventDraft } from '../../src-shared/events';
import {
  BatchJobSchema,
  METRIC_KEYS,
  JobMetricsSchema,
  LIMITS,
  DEFAULT_WORKSPACE_SCOPE,
  defaultLayerScope,
  zeroMetrics,
  isUnsupportedRecord,
  type AiJob,
  type JobMetrics,
  type JsonValue,
  type NewJob,
  type UnsupportedRecord,
} from '../../src-shared/job';
import { CURRENT_TASK_SCHEMA_VERSION } from '../../src-shared/protocols';
import type { JobListQuery } from '../../src-shared/ipc';
import { ACTOR_OF_CAUSE, checkTransition, isTerminalState, type TransitionCause } from '../../src-shared/transitions';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { uuidv7 } from '../db/ids';
import { MultiRowInsert } from '../db/multi-row-insert';
import { StatementCache } from '../db/statement-cache';
import { WrittenRows } from './written-rows';
import { redactStoredText } from '../security/redact';
import {
  NO_CONSENT_PROFILE,
  TERMINAL_CONSENT_PROFILE,
  needsTerminalConsent,
  parseJobRow,
  writtenJob,
  type ConsentColumns,
  type JobRow,
} from './rows';
import { conditionsWithoutState } from './job-filter';
import { indexInCreationOrder, listOrder, matchingSet, parseSearch, phraseHits, type CandidateSql, type Phrase } from './search';

/** What a state change may also set on the job. */
export interface JobPatch {
  error_message?: string | null;
  job_outputs?: JsonValue | null;
  metrics?: Partial<JobMetrics>;
  /** The consent decision, when this change records one (the operator's, or its expiry). */
  consent?: ConsentColumns;
  /** The model runtime or executor that runs the job (set when a run starts). */
  runtime_id?: string;
}

/** No consent given: what a job that starts processes has until someone consents. */
export const PENDING_CONSENT: ConsentColumns = {
  consent_decision: 'pending',
  consent_source: null,
  consent_decided_at: null,
  consent_expires_at: null,
};

const NOT_REQUIRED_CONSENT: ConsentColumns = { ...PENDING_CONSENT, consent_decision: 'not_required' };

export interface CreateJobOptions {
  capabilityProfileId: string;
  /** The consent decided at submission (e.g. by --allow-terminal); by default none is given. */
  consent?: ConsentColumns;
  /** The kind as the caller spelled it (e.g. term_exec), recorded when it differs from the canonical one. */
  submittedKind?: string | null;
  actor?: Actor;
}

/** One guarded state change of a job, written together with the event that records it. */
export interface JobTransition {
  /** The job's row as read in this transaction: only the columns that differ from it are written. */
  job: JobRow;
  to: JobState;
  cause: TransitionCause;
  reason: string;
  patch?: JobPatch;
  workflowRunId?: string;
  /** The event that records this change; by default a job_state_changed event. */
  event?: (updated: JobRow) => EventDraft;
}

/**
 * Rows a text search reads in list order before it judges its words, and the most it reads there
 * when the share of matches seen so far would fill the page within that many rows. Reading the
 * list costs the same at any history size; reading the index for a prefix costs FTS5 a merge of
 * every matching term's postings, which grows with the history (a prefix of 1,300 words took
 * 100 ms at 1,000,000 jobs), so a word in a few percent of recent jobs is better found by reading on.
 */
const SEARCH_SCAN_FIRST = 256;
const SEARCH_SCAN_MAX = 4_096;
/** Rows per read, in list order or from the index. */
const SEARCH_CHUNK = 128;

/** A row's place in the list's order (its sort value and rowid), after which a page continues. */
interface Position {
  value: number;
  rowid: number;
}

interface SearchPlan {
  column: 'created_at' | 'updated_at';
  descending: boolean;
  where: Conditions;
  after: Position | null;
  wanted: number;
}

/** Where a job module writes its events: the Flight Recorder, inside the caller's transaction. */
export type AppendEvent = (draft: EventDraft) => void;

/** Where a batch's events go: built from checked values, redacted and written set based (FlightRecorder.recordChecked). */
export type AppendCheckedEvents = (drafts: readonly EventDraft[]) => void;

/** The columns of ai_jobs a new row fills, in the order of the multi-row insert. */
const JOB_COLUMNS = [
  'job_id', 'trace_id', 'workflow_run_id', 'job_kind', 'status', 'status_reason', 'error_message', 'protocol_id',
  'profile_id', 'capability_profile_id', 'access_mode', 'safety_mode', 'entity_refs', 'planned_operations', 'metrics',
  'job_inputs', 'job_outputs', 'created_at', 'updated_at', 'completed_at', 'task_schema_version', 'workspace_scope',
  'execution_mode', 'runtime_id', 'flight_recorder_span_id', 'consent_profile_id', 'consent_decision', 'consent_source',
  'consent_decided_at', 'consent_expires_at', 'layer_scope',
] as const satisfies readonly (keyof JobRow)[];

/** The columns a state change may write (JobTable.transition); the rest are written once. */
const TRANSITION_COLUMNS = [
  'status', 'status_reason', 'error_message', 'job_outputs', 'metrics', 'workflow_run_id', 'updated_at', 'completed_at',
  'runtime_id', 'consent_decision', 'consent_source', 'consent_decided_at', 'consent_expires_at',
] as const satisfies readonly (keyof JobRow)[];

const ZERO_METRICS = JSON.stringify(zeroMetrics());

/** A batch as store.createJobs checks it: issues are pathed `jobs[i].field`. */
const BatchSchema = z.strictObject({ jobs: z.array(BatchJobSchema) });

/**
 * Error messages come from executors and the outside world: redacted (the UI shows them and
 * bundles export them), and bounded rather than refused.
 */
export function storedMessage(message: string | null | undefined): string | null {
  if (message === null || message === undefined) return null;
  const redacted = redactStoredText(message);
  return redacted.length > LIMITS.message ? `${redacted.slice(0, LIMITS.message - 1)}…` : redacted;
}

export function notFound(what: string, id: string): HskError {
  return new HskError(ERROR_CODES.notFound, `${what} ${id} does not exist`, { id });
}

function mergeMetrics(stored: string, delta: Partial<JobMetrics>): JobMetrics {
  // Rows written by older code may lack keys; zero-fill so metrics are never partial (HSK-JOB-101).
  const merged = { ...zeroMetrics(), ...(JSON.parse(stored) as Partial<JobMetrics>), ...delta };
  const metrics = Object.fromEntries(METRIC_KEYS.map((key) => [key, merged[key]]));
  // Checked as a read would check them (the database accepts integers up to 2^63, a job's metrics
  // stop at 2^53): the row a change makes is served without a second parse (written-rows.ts).
  return parseOrThrow(JobMetricsSchema, metrics, 'job metrics');
}

/** The caller's spelling of the kind, when it differed from the canonical one (e.g. term_exec). */
function submittedSpelling(submitted: string | null | undefined, canonical: string): string | null {
  return submitted && submitted !== canonical ? submitted : null;
}

function stateChangedEvent(before: JobRow, updated: JobRow, cause: TransitionCause, reason: string): EventDraft {
  return {
    type: 'job_state_changed',
    actor: ACTOR_OF_CAUSE[cause],
    actor_id: cause,
    trace_id: before.trace_id,
    job_id: before.job_id,
    workflow_run_id: updated.workflow_run_id,
    payload: { from_state: before.status, to_state: updated.status, cause, reason },
  };
}

/** A new job's row: queued, zeroed metrics, its trace and span ids, the consent its kind needs. */
function newJobRow(job: NewJob, options: CreateJobOptions, now: number): JobRow {
  const terminal = needsTerminalConsent(job.job_kind, job.job_inputs);
  const layers = job.layer_scope ?? defaultLayerScope();
  return {
    rowid: 0,
    job_id: uuidv7(),
    trace_id: job.trace_id ?? uuidv7(),
    workflow_run_id: null,
    job_kind: job.job_kind,
    status: 'queued',
    status_reason: 'queued',
    error_message: null,
    protocol_id: job.protocol_id,
    profile_id: job.profile_id ?? 'default',
    capability_profile_id: options.capabilityProfileId,
    access_mode: job.access_mode ?? 'analysis_only',
    safety_mode: job.safety_mode ?? 'normal',
    entity_refs: JSON.stringify(job.entity_refs ?? []),
    planned_operations: JSON.stringify(job.planned_operations ?? []),
    metrics: ZERO_METRICS,
    job_inputs: job.job_inputs === undefined ? null : JSON.stringify(job.job_inputs),
    job_outputs: null,
    created_at: now,
    updated_at: now,
    completed_at: null,
    task_schema_version: job.task_schema_version ?? CURRENT_TASK_SCHEMA_VERSION,
    workspace_scope: job.workspace_scope ?? DEFAULT_WORKSPACE_SCOPE,
    execution_mode: job.job_kind === 'workflow_run' ? 'multi_step' : 'single_step',
    runtime_id: 'unassigned',
    flight_recorder_span_id: uuidv7(),
    consent_profile_id: terminal ? TERMINAL_CONSENT_PROFILE : NO_CONSENT_PROFILE,
    ...(terminal ? (options.consent ?? PENDING_CONSENT) : NOT_REQUIRED_CONSENT),
    // Key order fixed: the column's CHECK compares with json_object('read', ..., 'write', ...).
    layer_scope: JSON.stringify({ read: layers.read, write: layers.write }),
  };
}

/** The job_created event that opens a new job's span. */
function createdEvent(row: JobRow, options: CreateJobOptions): EventDraft {
  return {
    type: 'job_created',
    actor: options.actor ?? 'human',
    trace_id: row.trace_id,
    job_id: row.job_id,
    payload: {
      job_kind: row.job_kind,
      protocol_id: row.protocol_id,
      state: 'queued',
      submitted_job_kind: submittedSpelling(options.submittedKind, row.job_kind),
      span_id: row.flight_recorder_span_id,
    },
  };
}

export class JobTable {
  /** Rows known valid (written from checked values, or parsed): see written-rows.ts. */
  readonly written = new WrittenRows();
  private readonly sql;
  private readonly statements: StatementCache;
  private readonly multiRowInsert: MultiRowInsert;

  constructor(
    db: Database.Database,
    private readonly appendEvent: AppendEvent,
    private readonly now: () => number,
  ) {
    this.statements = new StatementCache(db);
    this.multiRowInsert = new MultiRowInsert(db, 'ai_jobs', JOB_COLUMNS);
    this.sql = {
      byId: db.prepare('SELECT rowid, * FROM ai_jobs WHERE job_id = ?'),
      updateMetrics: db.prepare('UPDATE ai_jobs SET metrics = ? WHERE job_id = ?'),
    };
  }

  row(jobId: string): JobRow {
    const row = this.sql.byId.get(jobId) as JobRow | undefined;
    if (!row) throw notFound('job', jobId);
    return row;
  }

  /**
   * Inserts a batch of queued jobs and their job_created events, in the caller's transaction, set
   * based: every job is checked first (BatchJobSchema: the closed lists, ids, references, layer
   * scope; an alias is stored canonical), so one bad job refuses the whole batch with HSK-400
   * naming its index (`jobs[i].field`) before anything is written. Rows then go in as multi-row
   * inserts, and the events through `appendChecked`, built from the checked values. All jobs of a
   * batch are created at the same instant. Returns the rows as written.
   */
  insertMany(jobs: readonly NewJob[], optionsOf: (job: NewJob, index: number) => CreateJobOptions, appendChecked: AppendCheckedEvents): JobRow[] {
    const checked = parseOrThrow(BatchSchema, { jobs }, 'batch of jobs').jobs;
    const now = this.now();
    const rows = checked.map((job, index) => {
      const options = optionsOf(jobs[index]!, index);
      const spelled = options.submittedKind ?? (jobs[index] as { job_kind: string }).job_kind;
      return { row: newJobRow(job, options, now), options: { ...options, submittedKind: spelled } };
    });
    const lastRowid = this.multiRowInsert.run(rows.map(({ row }) => JOB_COLUMNS.map((column) => row[column])));
    rows.forEach(({ row }, i) => {
      row.rowid = lastRowid - rows.length + 1 + i;
      this.written.remember(row);
    });
    appendChecked(rows.map(({ row, options }) => createdEvent(row, options)));
    return rows.map(({ row }) => row);
  }

  /**
   * Writes complete rows as given (the legacy import, the seed's copies of finished history), in
   * multi-row inserts, in the caller's transaction. No events: the caller writes its own record.
   */
  insertRows(rows: readonly Omit<JobRow, 'rowid'>[]): void {
    this.multiRowInsert.run(rows.map((row) => JOB_COLUMNS.map((column) => row[column])));
  }

  exists(jobId: string): boolean {
    return this.sql.byId.get(jobId) !== undefined;
  }

  /**
   * The oldest queued jobs; a damaged row comes as a marker, so the engine can pass over it. The
   * limit is written into the SQL (one cached statement per value): with `LIMIT ?` this query took
   * 50-200 µs once a few thousand jobs had left the queue, with the literal 5-10 µs, and the engine
   * asks it once per job it starts.
   */
  nextQueued(limit: number): Array<AiJob | UnsupportedRecord> {
    const n = Math.max(1, Math.floor(limit));
    const sql = `SELECT rowid, * FROM ai_jobs WHERE status = 'queued' ORDER BY created_at ASC, rowid ASC LIMIT ${n}`;
    return (this.statements.get(sql).all() as JobRow[]).map((row) => this.readKnown(row));
  }

  /**
   * A row read from disk as its record: mapped when it is, column for column, a row known valid
   * (written-rows.ts), parsed otherwise; a row that parses is known valid from then on.
   */
  private readKnown(row: JobRow): AiJob | UnsupportedRecord {
    if (this.written.matches(row)) return writtenJob(row);
    const job = parseJobRow(row);
    if (!isUnsupportedRecord(job)) this.written.remember(row);
    return job;
  }

  /**
   * Writes the columns of a state change that differ from the row as read, in one UPDATE (one
   * cached statement per set of columns; a handful occur). SQLite re-checks a CHECK and fires an
   * `UPDATE OF` trigger when its column is named in the SET list, changed or not: the 13-column
   * form took 45 µs against 16-23 µs for the columns a run's start or end changes, and queued
   * every state change for re-indexing, although the search text had not changed.
   */
  private updateChanged(before: JobRow, after: JobRow): void {
    const columns = TRANSITION_COLUMNS.filter((column) => column === 'status' || after[column] !== before[column]);
    const sql = `UPDATE ai_jobs SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE job_id = ?`;
    this.statements.get(sql).run(...columns.map((column) => after[column]), before.job_id);
  }

  /**
   * Moves a job to `to` if the transition table allows it for `cause`, and records the change's
   * event, in the caller's transaction. An illegal move throws HSK-409-ILLEGAL-TRANSITION and
   * writes nothing.
   */
  transition(change: JobTransition): JobRow {
    const { job, to, cause, reason, patch = {} } = change;
    const check = checkTransition(job.status, to, cause);
    if (!check.ok) {
      throw new HskError(ERROR_CODES.illegalTransition, check.reason, { job_id: job.job_id, from: job.status, to, cause });
    }
    const now = this.now();
    const updated: JobRow = {
      ...job,
      status: to,
      // Operator reasons are free text: stored redacted, like the event that records them.
      status_reason: redactStoredText(reason),
      error_message: patch.error_message === undefined ? job.error_message : storedMessage(patch.error_message),
      job_outputs: patch.job_outputs === undefined ? job.job_outputs : JSON.stringify(patch.job_outputs),
      metrics: patch.metrics ? JSON.stringify(mergeMetrics(job.metrics, patch.metrics)) : job.metrics,
      workflow_run_id: change.workflowRunId ?? job.workflow_run_id,
      updated_at: now,
      completed_at: isTerminalState(to) ? now : null,
      runtime_id: patch.runtime_id ?? job.runtime_id,
      ...(patch.consent ?? {}),
    };
    this.updateChanged(job, updated);
    // A change to a row known valid makes a row known valid; any other is parsed when announced.
    this.written.changed(job, updated);
    this.appendEvent(change.event ? change.event(updated) : stateChangedEvent(job, updated, cause, reason));
    return updated;
  }

  /** Merges metrics as they accrue (no event: metrics are not state changes). Caller's transaction. */
  mergeMetrics(jobId: string, delta: Partial<JobMetrics>): JobRow {
    const row = this.row(jobId);
    const updated: JobRow = { ...row, metrics: JSON.stringify(mergeMetrics(row.metrics, delta)) };
    this.sql.updateMetrics.run(updated.metrics, jobId);
    this.written.changed(row, updated);
    return updated;
  }

  list(query: JobListQuery): { items: Array<AiJob | UnsupportedRecord>; next_cursor: string | null } {
    const sort = query.sort ?? 'created_at_desc';
    const column = sort.startsWith('updated_at') ? 'updated_at' : 'created_at';
    const descending = sort.endsWith('_desc');
    const limit = query.limit ?? 50;
    // The text is matched by `search` (list first, then the index), not by a condition.
    const where = conditionsWithoutState({ ...query, text: undefined });
    where.oneOf('j.status', 'state', query.state);
    const cursor = query.cursor ? decodeCursor(query.cursor, 'jobs') : null;
    if (cursor && cursor.sort !== sort) {
      throw fieldError('cursor', 'invalid_cursor', 'cursor belongs to a different sort order');
    }
    const phrases = query.text ? parseSearch(query.text) : [];
    const order = listOrder(column, descending);
    const after = cursor ? { value: cursor.value, rowid: cursor.rowid } : null;
    const rows =
      phrases.length === 0
        ? this.fetch(order, where, {}, after, limit + 1)
        : this.search(phrases, { column, descending, where, after, wanted: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(parseJobRow),
      next_cursor:
        rows.length > limit && last ? encodeCursor('jobs', { sort, value: last[column], rowid: last.rowid }) : null,
    };
  }

  /** Up to `n` rows of `source` in its order, after `after`, that pass `where`. */
  private fetch(source: CandidateSql, where: Conditions, params: Record<string, unknown>, after: Position | null, n: number): JobRow[] {
    const sql = `SELECT j.rowid, j.* FROM ${source.from} ${where.toSql([source.join, after ? source.after : ''])}
      ORDER BY ${source.orderBy} LIMIT ${n}`;
    const bound = after ? { ...where.params, ...params, after_value: after.value, after_rowid: after.rowid } : { ...where.params, ...params };
    return this.statements.get(sql).all(bound) as JobRow[];
  }

  /**
   * A text search. It first reads the list itself, in page order, checking each row: a word most
   * jobs hold fills its page within a few hundred rows, and it reads on (up to SEARCH_SCAN_MAX rows)
   * while the share of matches seen says the page will fill by then. Otherwise the words are rare
   * there, and the index is read instead, for the rarest word seen, after the rows already read;
   * the other words are checked on each candidate. Either way the cost follows the page.
   */
  private search(phrases: Phrase[], plan: SearchPlan): JobRow[] {
    const found: JobRow[] = [];
    const hits = phrases.map(() => 0);
    let after = plan.after;
    const take = (row: JobRow): boolean => {
      const rowHits = phraseHits(row, phrases);
      rowHits.forEach((hit, i) => (hits[i]! += hit ? 1 : 0));
      if (rowHits.every(Boolean)) found.push(row);
      return found.length === plan.wanted;
    };
    let read = 0;
    /** Reads `source` chunk by chunk after `after` while `goOn()` holds; false once the source ran out or the page is full. */
    const walk = (source: CandidateSql, params: Record<string, unknown>, goOn: () => boolean): boolean => {
      while (goOn()) {
        const chunk = this.fetch(source, plan.where, params, after, SEARCH_CHUNK);
        read += chunk.length;
        for (const row of chunk) if (take(row)) return false;
        if (chunk.length < SEARCH_CHUNK) return false;
        after = { value: chunk.at(-1)![plan.column], rowid: chunk.at(-1)!.rowid };
      }
      return true;
    };
    // The list first; past its first rows, only while the matches seen so far would fill the page in time.
    const worthReading = () => read < SEARCH_SCAN_FIRST || (found.length > 0 && (read * plan.wanted) / found.length <= SEARCH_SCAN_MAX);
    if (!walk(listOrder(plan.column, plan.descending), {}, () => read < SEARCH_SCAN_MAX && worthReading())) return found;
    const rarest = phrases[hits.indexOf(Math.min(...hits))]!;
    const source = plan.column === 'created_at' ? indexInCreationOrder(plan.descending) : matchingSet(plan.column, plan.descending);
    walk(source, { match: rarest.fts }, () => true);
    return found;
  }
}
