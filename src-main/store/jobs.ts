/**
 * The ai_jobs table: creating jobs, reading and listing them, and the one guarded write of a job's
 * state. Inputs are typed values, parsed where they entered the process (router, CLI, legacy
 * reader); this module enforces the transition table and writes each change with its event.
 */
import type Database from 'better-sqlite3';
import type { Actor, JobState } from '../../src-shared/enums';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { EventDraft } from '../../src-shared/events';
import { METRIC_KEYS, LIMITS, zeroMetrics, type AiJob, type JobMetrics, type JsonValue, type NewJob } from '../../src-shared/job';
import type { JobListQuery } from '../../src-shared/ipc';
import { ACTOR_OF_CAUSE, checkTransition, isTerminalState, type TransitionCause } from '../../src-shared/transitions';
import { Conditions } from '../db/conditions';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { uuidv7 } from '../db/ids';
import { StatementCache } from '../db/statement-cache';
import { toJob, type JobRow } from './rows';
import { indexInCreationOrder, listOrder, matchingSet, parseSearch, phraseHits, type CandidateSql, type Phrase } from './search';

/** What a state change may also set on the job. */
export interface JobPatch {
  error_message?: string | null;
  job_outputs?: JsonValue | null;
  metrics?: Partial<JobMetrics>;
}

export interface CreateJobOptions {
  capabilityProfileId: string;
  /** The kind as the caller spelled it (e.g. term_exec), recorded when it differs from the canonical one. */
  submittedKind?: string | null;
  actor?: Actor;
}

/** One guarded state change of a job, written together with the event that records it. */
export interface JobTransition {
  job: JobRow;
  to: JobState;
  cause: TransitionCause;
  reason: string;
  patch?: JobPatch;
  workflowRunId?: string;
  /** The event that records this change; by default a job_state_changed event. */
  event?: (updated: JobRow) => EventDraft;
}

/** Rows a text search reads in list order before it turns to the index, and per query. */
const SEARCH_SCAN_BUDGET = 256;
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

/** Error messages come from executors and the outside world; keep them bounded rather than refuse. */
export function boundedMessage(message: string | null | undefined): string | null {
  if (message === null || message === undefined) return null;
  return message.length > LIMITS.message ? `${message.slice(0, LIMITS.message - 1)}…` : message;
}

export function notFound(what: string, id: string): HskError {
  return new HskError(ERROR_CODES.notFound, `${what} ${id} does not exist`, { id });
}

function mergeMetrics(stored: string, delta: Partial<JobMetrics>): JobMetrics {
  // Rows written by older code may lack keys; zero-fill so metrics are never partial (HSK-JOB-101).
  const merged = { ...zeroMetrics(), ...(JSON.parse(stored) as Partial<JobMetrics>), ...delta };
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, merged[key]])) as JobMetrics;
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

export class JobTable {
  private readonly sql;
  private readonly statements: StatementCache;

  constructor(
    db: Database.Database,
    private readonly appendEvent: AppendEvent,
    private readonly now: () => number,
  ) {
    this.statements = new StatementCache(db);
    this.sql = {
      insert: db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason,
        error_message, protocol_id, profile_id, capability_profile_id, access_mode, safety_mode, entity_refs,
        planned_operations, metrics, job_inputs, job_outputs, created_at, updated_at, completed_at)
        VALUES (@job_id, @trace_id, @workflow_run_id, @job_kind, @status, @status_reason, @error_message, @protocol_id,
        @profile_id, @capability_profile_id, @access_mode, @safety_mode, @entity_refs, @planned_operations, @metrics,
        @job_inputs, @job_outputs, @created_at, @updated_at, @completed_at)`),
      byId: db.prepare('SELECT rowid, * FROM ai_jobs WHERE job_id = ?'),
      updateState: db.prepare(`UPDATE ai_jobs SET status = @status, status_reason = @status_reason,
        error_message = @error_message, job_outputs = @job_outputs, metrics = @metrics,
        workflow_run_id = @workflow_run_id, updated_at = @updated_at, completed_at = @completed_at
        WHERE job_id = @job_id`),
      updateMetrics: db.prepare('UPDATE ai_jobs SET metrics = ? WHERE job_id = ?'),
      nextQueued: db.prepare(
        "SELECT rowid, * FROM ai_jobs WHERE status = 'queued' ORDER BY created_at ASC, rowid ASC LIMIT ?",
      ),
    };
  }

  row(jobId: string): JobRow {
    const row = this.sql.byId.get(jobId) as JobRow | undefined;
    if (!row) throw notFound('job', jobId);
    return row;
  }

  /** Inserts a queued job with zeroed metrics and a trace_id, and its job_created event. Caller's transaction. */
  insert(job: NewJob, options: CreateJobOptions): JobRow {
    const now = this.now();
    const row: JobRow = {
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
      metrics: JSON.stringify(zeroMetrics()),
      job_inputs: job.job_inputs === undefined ? null : JSON.stringify(job.job_inputs),
      job_outputs: null,
      created_at: now,
      updated_at: now,
      completed_at: null,
    };
    row.rowid = this.insertRow(row);
    this.appendEvent({
      type: 'job_created',
      actor: options.actor ?? 'human',
      trace_id: row.trace_id,
      job_id: row.job_id,
      payload: {
        job_kind: job.job_kind,
        protocol_id: job.protocol_id,
        state: 'queued',
        submitted_job_kind: submittedSpelling(options.submittedKind, job.job_kind),
      },
    });
    return row;
  }

  /** Writes a complete row as given (the legacy import keeps its ids and states); returns its rowid. */
  insertRow(row: Omit<JobRow, 'rowid'>): number {
    return Number(this.sql.insert.run(row).lastInsertRowid);
  }

  exists(jobId: string): boolean {
    return this.sql.byId.get(jobId) !== undefined;
  }

  nextQueued(limit: number): AiJob[] {
    return (this.sql.nextQueued.all(limit) as JobRow[]).map(toJob);
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
      status_reason: reason,
      error_message: patch.error_message === undefined ? job.error_message : boundedMessage(patch.error_message),
      job_outputs: patch.job_outputs === undefined ? job.job_outputs : JSON.stringify(patch.job_outputs),
      metrics: patch.metrics ? JSON.stringify(mergeMetrics(job.metrics, patch.metrics)) : job.metrics,
      workflow_run_id: change.workflowRunId ?? job.workflow_run_id,
      updated_at: now,
      completed_at: isTerminalState(to) ? now : null,
    };
    this.sql.updateState.run({
      job_id: job.job_id,
      status: updated.status,
      status_reason: updated.status_reason,
      error_message: updated.error_message,
      job_outputs: updated.job_outputs,
      metrics: updated.metrics,
      workflow_run_id: updated.workflow_run_id,
      updated_at: updated.updated_at,
      completed_at: updated.completed_at,
    });
    this.appendEvent(change.event ? change.event(updated) : stateChangedEvent(job, updated, cause, reason));
    return updated;
  }

  /** Merges metrics as they accrue (no event: metrics are not state changes). Caller's transaction. */
  mergeMetrics(jobId: string, delta: Partial<JobMetrics>): JobRow {
    const row = this.row(jobId);
    this.sql.updateMetrics.run(JSON.stringify(mergeMetrics(row.metrics, delta)), jobId);
    return this.row(jobId);
  }

  list(query: JobListQuery): { items: AiJob[]; next_cursor: string | null } {
    const sort = query.sort ?? 'created_at_desc';
    const column = sort.startsWith('updated_at') ? 'updated_at' : 'created_at';
    const descending = sort.endsWith('_desc');
    const limit = query.limit ?? 50;
    const where = new Conditions();
    where.oneOf('j.status', 'state', query.state);
    where.oneOf('j.job_kind', 'kind', query.job_kind);
    where.when(query.created_from, 'j.created_at >= @created_from', 'created_from');
    where.when(query.created_to, 'j.created_at <= @created_to', 'created_to');
    where.when(query.trace_id, 'j.trace_id = @trace_id', 'trace_id');
    where.when(
      query.workflow_run_id,
      'j.job_id IN (SELECT job_id FROM workflow_runs WHERE workflow_run_id = @workflow_run_id)',
      'workflow_run_id',
    );
    const cursor = query.cursor ? decodeCursor(query.cursor, 'jobs') : null;
    if (cursor && cursor.sort !== sort) {
      throw new HskError(ERROR_CODES.invalidInput, 'cursor belongs to a different sort order', { field: 'cursor' });
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
      items: page.map(toJob),
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
   * jobs hold fills its page within a few hundred rows. If the page is not full by then, the words
   * are rare there, and the index is read instead, for the rarest word seen, after the rows already
   * read; the other words are checked on each candidate. Either way the cost follows the page.
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
    const walk = (source: CandidateSql, params: Record<string, unknown>, budget: number): 'full' | 'exhausted' | 'budget' => {
      for (let read = 0; read < budget; read += SEARCH_CHUNK) {
        const chunk = this.fetch(source, plan.where, params, after, SEARCH_CHUNK);
        for (const row of chunk) if (take(row)) return 'full';
        if (chunk.length < SEARCH_CHUNK) return 'exhausted';
        after = { value: chunk.at(-1)![plan.column], rowid: chunk.at(-1)!.rowid };
      }
      return 'budget';
    };
    if (walk(listOrder(plan.column, plan.descending), {}, SEARCH_SCAN_BUDGET) !== 'budget') return found;
    const rarest = phrases[hits.indexOf(Math.min(...hits))]!;
    const source = plan.column === 'created_at' ? indexInCreationOrder(plan.descending) : matchingSet(plan.column, plan.descending);
    walk(source, { match: rarest.fts }, Number.POSITIVE_INFINITY);
    return found;
  }
}
