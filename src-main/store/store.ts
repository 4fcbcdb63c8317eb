/**
 * The job store: ai_jobs, workflow_runs, workflow_node_executions and the Flight Recorder in one
 * SQLite database. Every public method parses its input at the edge, throws HskError with a stable
 * code on bad input (writing nothing), and writes each state change together with its event in
 * one transaction.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  ActorSchema,
  JobKindInputSchema,
  JobStateSchema,
  NodeStatusSchema,
  RunStatusSchema,
  isTerminalState,
  type JobState,
} from '../../src-shared/enums';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { EventDraft, EventType, FlightEvent } from '../../src-shared/events';
import {
  JobMetricsSchema,
  JsonPayloadSchema,
  LIMITS,
  METRIC_KEYS,
  NewJobSchema,
  UuidSchema,
  zeroMetrics,
  type AiJob,
  type JobMetrics,
  type NewJob,
  type NodeExecution,
  type WorkflowRun,
} from '../../src-shared/job';
import { JOB_SORTS, type JobSort } from '../../src-shared/ipc';
import { ACTOR_OF_CAUSE, TRANSITION_CAUSES, checkTransition, type TransitionCause } from '../../src-shared/transitions';
import { openDatabase, type OpenOptions } from '../db/open';
import { StatementCache } from '../db/statement-cache';
import { FlightRecorder, type EventFilter } from '../flight-recorder/recorder';
import { decodeCursor, encodeCursor } from './cursor';
import { toJob, toNode, toRun, type JobRow, type NodeRow, type RunRow } from './rows';
import { parseOrThrow } from './validation';
import { uuidv7 } from './ids';
import { toRfc3339 } from '../../src-shared/time';
import { ftsCondition } from './text-query';
import { Conditions } from './conditions';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface CommitGroup {
  waiters: Waiter[];
}

/**
 * A promise settled when `waiters` is: writers that do not wait (heartbeats, events) must not turn
 * a failed commit into an unhandled rejection, so it carries a no-op handler; awaiters still see it.
 */
function waitFor(waiters: Waiter[]): Promise<void> {
  const durable = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  durable.catch(() => {});
  return durable;
}

function settle(waiters: Waiter[], error: unknown): void {
  for (const waiter of waiters) {
    if (error === null) waiter.resolve();
    else waiter.reject(error);
  }
}

export type StoreChange = { kind: 'job'; job: AiJob } | { kind: 'event'; event: FlightEvent };

const ReasonSchema = z.string().min(1).max(LIMITS.reason);
// Schemas are built once at module load: zod compiles each one on first use.
const MetricsDeltaSchema = JobMetricsSchema.partial();
const QueueLimitSchema = z.number().int().min(1).max(1000);
const EpochMsSchema = z.number().int().nonnegative();

const JobPatchSchema = z.strictObject({
  error_message: z.string().nullable().optional(),
  job_outputs: JsonPayloadSchema.nullable().optional(),
  metrics: MetricsDeltaSchema.optional(),
});
export type JobPatch = z.input<typeof JobPatchSchema>;

const CreateOptionsSchema = z.strictObject({
  capabilityProfileId: z.string().min(1).max(LIMITS.shortText),
  submittedKind: z.string().max(LIMITS.shortText).nullable().optional(),
  actor: ActorSchema.optional(),
});
export type CreateJobOptions = z.input<typeof CreateOptionsSchema>;

const TransitionSchema = z.strictObject({
  jobId: UuidSchema,
  to: JobStateSchema,
  cause: z.enum(TRANSITION_CAUSES),
  reason: ReasonSchema,
  patch: JobPatchSchema.optional(),
});

const FinishRunSchema = z.strictObject({
  status: RunStatusSchema,
  reason: ReasonSchema,
  jobState: JobStateSchema,
  cause: z.enum(TRANSITION_CAUSES),
  patch: JobPatchSchema.optional(),
});
export type RunOutcome = z.input<typeof FinishRunSchema>;

const StartNodeSchema = z.strictObject({
  node_id: z.string().min(1).max(LIMITS.shortText),
  node_type: z.string().min(1).max(LIMITS.shortText),
  sequence: z.number().int().nonnegative(),
  input_payload: JsonPayloadSchema.nullable().optional(),
});

const FinishNodeSchema = z.strictObject({
  status: NodeStatusSchema,
  reason: ReasonSchema,
  output_payload: JsonPayloadSchema.nullable().optional(),
  error_message: z.string().nullable().optional(),
});

/** Parsed like every other input: the kind filter accepts the alias, a bad value is refused (not silently empty). */
const JobListFilterSchema = z.strictObject({
  state: z.array(JobStateSchema).max(64).optional(),
  job_kind: z.array(JobKindInputSchema).max(64).optional(),
  created_from: z.number().int().optional(),
  created_to: z.number().int().optional(),
  text: z.string().max(256).optional(),
  trace_id: UuidSchema.optional(),
  workflow_run_id: UuidSchema.optional(),
  sort: z.enum(JOB_SORTS).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.number().int().min(1).max(LIMITS.listLimitMax).optional(),
});

export interface JobListFilter {
  state?: JobState[];
  job_kind?: string[];
  created_from?: number;
  created_to?: number;
  text?: string;
  trace_id?: string;
  workflow_run_id?: string;
  sort?: JobSort;
  cursor?: string;
  limit?: number;
}

/** Error messages come from executors and the outside world; keep them bounded rather than refuse. */
function boundedMessage(message: string | null | undefined): string | null | undefined {
  if (message === null || message === undefined) return message;
  return message.length > LIMITS.message ? `${message.slice(0, LIMITS.message - 1)}…` : message;
}

function notFound(what: string, id: string): HskError {
  return new HskError(ERROR_CODES.notFound, `${what} ${id} does not exist`, { id });
}

export class Store {
  readonly db: Database.Database;
  readonly recorder: FlightRecorder;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private pending: StoreChange[] = [];
  private depth = 0;
  private group: CommitGroup | null = null;
  /** Group writers that joined a plain transaction: durable when it commits. */
  private commitWaiters: Waiter[] = [];
  private readonly now: () => number;
  private readonly sql: ReturnType<Store['prepareStatements']>;
  private readonly statements: StatementCache;

  static open(dataDir: string, options: OpenOptions & { now?: () => number } = {}): Store {
    return new Store(openDatabase(dataDir, options), options.now);
  }

  constructor(db: Database.Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
    this.recorder = new FlightRecorder(db, now);
    this.sql = this.prepareStatements();
    this.statements = new StatementCache(db);
  }

  private prepareStatements() {
    const db = this.db;
    return {
      insertJob: db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason,
        error_message, protocol_id, profile_id, capability_profile_id, access_mode, safety_mode, entity_refs,
        planned_operations, metrics, job_inputs, job_outputs, created_at, updated_at, completed_at)
        VALUES (@job_id, @trace_id, @workflow_run_id, @job_kind, @status, @status_reason, @error_message, @protocol_id,
        @profile_id, @capability_profile_id, @access_mode, @safety_mode, @entity_refs, @planned_operations, @metrics,
        @job_inputs, @job_outputs, @created_at, @updated_at, @completed_at)`),
      jobById: db.prepare('SELECT rowid, * FROM ai_jobs WHERE job_id = ?'),
      updateJobState: db.prepare(`UPDATE ai_jobs SET status = @status, status_reason = @status_reason,
        error_message = @error_message, job_outputs = @job_outputs, metrics = @metrics,
        workflow_run_id = @workflow_run_id, updated_at = @updated_at, completed_at = @completed_at
        WHERE job_id = @job_id`),
      updateMetrics: db.prepare('UPDATE ai_jobs SET metrics = ? WHERE job_id = ?'),
      nextQueued: db.prepare(
        "SELECT rowid, * FROM ai_jobs WHERE status = 'queued' ORDER BY created_at ASC, rowid ASC LIMIT ?",
      ),
      insertRun: db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason,
        last_heartbeat, created_at, updated_at, finished_at)
        VALUES (@workflow_run_id, @job_id, @attempt, 'running', 'running', @now, @now, @now, NULL)`),
      maxAttempt: db.prepare('SELECT coalesce(max(attempt), 0) AS attempt FROM workflow_runs WHERE job_id = ?'),
      runById: db.prepare('SELECT * FROM workflow_runs WHERE workflow_run_id = ?'),
      runsOfJob: db.prepare('SELECT * FROM workflow_runs WHERE job_id = ? ORDER BY attempt ASC'),
      heartbeat: db.prepare(
        "UPDATE workflow_runs SET last_heartbeat = ? WHERE workflow_run_id = ? AND status = 'running'",
      ),
      finishRun: db.prepare(`UPDATE workflow_runs SET status = @status, status_reason = @status_reason,
        updated_at = @now, finished_at = @finished_at WHERE workflow_run_id = @workflow_run_id`),
      insertNode: db.prepare(`INSERT INTO workflow_node_executions (node_execution_id, workflow_run_id, node_id,
        node_type, sequence, status, status_reason, input_payload, output_payload, error_message, started_at, finished_at)
        VALUES (@node_execution_id, @workflow_run_id, @node_id, @node_type, @sequence, 'running', 'running',
        @input_payload, NULL, NULL, @now, NULL)`),
      nodeById: db.prepare('SELECT * FROM workflow_node_executions WHERE node_execution_id = ?'),
      finishNode: db.prepare(`UPDATE workflow_node_executions SET status = @status, status_reason = @status_reason,
        output_payload = @output_payload, error_message = @error_message, finished_at = @now
        WHERE node_execution_id = @node_execution_id`),
      stallNodes: db.prepare(`UPDATE workflow_node_executions SET status = 'stalled', status_reason = @status_reason,
        finished_at = @now WHERE workflow_run_id = @workflow_run_id AND status = 'running'`),
      runningRuns: db.prepare(
        "SELECT workflow_run_id, job_id, last_heartbeat FROM workflow_runs WHERE status = 'running' ORDER BY last_heartbeat ASC",
      ),
      nodesOfRun: db.prepare('SELECT * FROM workflow_node_executions WHERE workflow_run_id = ? ORDER BY sequence ASC'),
    };
  }

  close(): void {
    if (!this.db.open) return;
    this.commitGroup();
    this.db.close();
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` in one IMMEDIATE transaction and tells listeners only after it committed, so
   * nobody is ever told about a change that was rolled back. It returns once the work is durable:
   * if a group commit is open, that group is committed first.
   */
  transaction<T>(work: () => T): T {
    if (this.depth === 0) this.commitGroup();
    const mark = this.pending.length;
    const waiterMark = this.commitWaiters.length;
    this.depth += 1;
    try {
      const result = this.depth === 1 ? this.db.transaction(work).immediate() : this.db.transaction(work)();
      if (this.depth === 1) {
        this.flush();
        settle(this.commitWaiters.splice(0), null);
      }
      return result;
    } catch (error) {
      // A failed (nested) unit was rolled back: forget what it would have announced, and tell
      // group writers inside it that their work will never be durable.
      this.pending.length = mark;
      settle(this.commitWaiters.splice(waiterMark), error);
      throw error;
    } finally {
      this.depth -= 1;
    }
  }

  /**
   * Group commit. `work` runs now, in a savepoint inside one transaction shared by every group
   * write of this event-loop turn; the transaction commits (one fsync for all of them) on
   * setImmediate. `durable` resolves after that commit: act on the work's effects (start an
   * executor, report a completion) only then. A failing unit rolls back alone and throws.
   */
  groupTransaction<T>(work: () => T): { result: T; durable: Promise<void> } {
    // Inside a plain transaction: join it; durable once that transaction has committed.
    if (this.depth > 0 && !this.group) {
      const result = this.transaction(work);
      return { result, durable: waitFor(this.commitWaiters) };
    }
    const group = this.group ?? this.openGroup();
    const mark = this.pending.length;
    this.depth += 1;
    try {
      const result = this.db.transaction(work)();
      return { result, durable: waitFor(group.waiters) };
    } catch (error) {
      this.pending.length = mark;
      // SQLite may have rolled back the whole transaction (disk full, I/O error): the group is gone.
      if (this.group === group && !this.db.inTransaction) {
        this.group = null;
        this.pending = [];
        settle(group.waiters, error);
      }
      throw error;
    } finally {
      this.depth -= 1;
    }
  }

  private openGroup(): CommitGroup {
    this.db.exec('BEGIN IMMEDIATE');
    const group: CommitGroup = { waiters: [] };
    this.group = group;
    setImmediate(() => this.commitGroup());
    return group;
  }

  /** Commits the open group, if any, and tells its writers and listeners. */
  commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.pending = [];
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } finally {
        settle(group.waiters, error);
      }
      return;
    }
    this.flush();
    settle(group.waiters, null);
  }

  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    for (const change of changes) {
      for (const listener of this.listeners) {
        // The change is committed: a failing listener must not make the write look failed to its
        // caller, keep a group's writers waiting, or hide the change from the other listeners.
        try {
          listener(change);
        } catch (error) {
          console.error('[store] a change listener failed:', error);
        }
      }
    }
  }

  private emitJob(row: JobRow): AiJob {
    const job = toJob(row);
    this.pending.push({ kind: 'job', job });
    return job;
  }

  private jobRow(jobId: string): JobRow {
    const row = this.sql.jobById.get(jobId) as JobRow | undefined;
    if (!row) throw notFound('job', jobId);
    return row;
  }

  /** Records one event (validated). Inside a transaction it commits with the caller's change. */
  recordEvent(draft: EventDraft | unknown): FlightEvent {
    return this.transaction(() => this.appendEvent(draft));
  }

  /** Appends an event inside the caller's transaction (no savepoint of its own). */
  private appendEvent(draft: EventDraft | unknown): FlightEvent {
    const event = this.recorder.record(draft);
    this.pending.push({ kind: 'event', event });
    return event;
  }

  // ---- jobs -------------------------------------------------------------------------------

  /** Stores a new job: queued, zeroed metrics, a trace_id, and its job_created event — atomically. */
  createJob(input: unknown, options: CreateJobOptions): AiJob {
    const job: NewJob = parseOrThrow(NewJobSchema, input, 'job');
    const opts = parseOrThrow(CreateOptionsSchema, options, 'create options');
    return this.insertJobs([job], opts)[0] as AiJob;
  }

  /** Stores many jobs in one transaction (one fsync): the batch path of the benchmark and the seed. */
  createJobs(inputs: unknown[], options: CreateJobOptions): AiJob[] {
    const jobs = inputs.map((input, index) => parseOrThrow(NewJobSchema, input, `job #${index}`));
    const opts = parseOrThrow(CreateOptionsSchema, options, 'create options');
    return this.insertJobs(jobs, opts);
  }

  private insertJobs(jobs: NewJob[], opts: z.output<typeof CreateOptionsSchema>): AiJob[] {
    return this.transaction(() =>
      jobs.map((job) => {
        const jobId = uuidv7();
        const now = this.now();
        const row: JobRow = {
          rowid: 0,
          job_id: jobId,
          trace_id: job.trace_id ?? uuidv7(),
          workflow_run_id: null,
          job_kind: job.job_kind,
          status: 'queued',
          status_reason: 'queued',
          error_message: null,
          protocol_id: job.protocol_id,
          profile_id: job.profile_id ?? 'default',
          capability_profile_id: opts.capabilityProfileId,
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
        row.rowid = Number(this.sql.insertJob.run(row).lastInsertRowid);
        const traceId = row.trace_id;
        this.appendEvent({
          type: 'job_created',
          actor: opts.actor ?? 'human',
          trace_id: traceId,
          job_id: jobId,
          payload: {
            job_kind: job.job_kind,
            protocol_id: job.protocol_id,
            state: 'queued',
            submitted_job_kind: submittedSpelling(opts.submittedKind, job.job_kind),
          },
        });
        return this.emitJob(row);
      }),
    );
  }

  getJob(jobId: unknown): AiJob {
    const id = parseOrThrow(UuidSchema, jobId, 'job_id');
    return toJob(this.jobRow(id));
  }

  nextQueuedJobs(limit: number): AiJob[] {
    const count = parseOrThrow(QueueLimitSchema, limit, 'limit');
    return (this.sql.nextQueued.all(count) as JobRow[]).map(toJob);
  }

  /**
   * Moves a job to `to` if the transition table allows it for `cause`; writes the row and its
   * job_state_changed event together. An illegal move throws HSK-409-ILLEGAL-TRANSITION and
   * changes nothing.
   */
  transitionJob(jobId: string, to: JobState, cause: TransitionCause, reason: string, patch?: JobPatch): AiJob {
    const args = parseOrThrow(TransitionSchema, { jobId, to, cause, reason, patch }, 'transition');
    return this.transaction(() => this.applyTransition(this.jobRow(args.jobId), args.to, args.cause, args.reason, args.patch));
  }

  /** Guards and writes a job's state change, without its event (the caller records one). */
  private writeTransition(
    row: JobRow,
    to: JobState,
    cause: TransitionCause,
    reason: string,
    patch: z.output<typeof JobPatchSchema> = {},
    workflowRunId?: string,
  ): JobRow {
    const jobId = row.job_id;
    const check = checkTransition(row.status, to, cause);
    if (!check.ok) {
      throw new HskError(ERROR_CODES.illegalTransition, check.reason, { job_id: jobId, from: row.status, to, cause });
    }
    const now = this.now();
    const updated: JobRow = {
      ...row,
      status: to,
      status_reason: reason,
      error_message: patch.error_message === undefined ? row.error_message : (boundedMessage(patch.error_message) ?? null),
      job_outputs: patch.job_outputs === undefined ? row.job_outputs : JSON.stringify(patch.job_outputs),
      metrics: patch.metrics ? JSON.stringify(mergeMetrics(row.metrics, patch.metrics)) : row.metrics,
      workflow_run_id: workflowRunId ?? row.workflow_run_id,
      updated_at: now,
      completed_at: isTerminalState(to) ? now : null,
    };
    this.sql.updateJobState.run({
      job_id: jobId,
      status: updated.status,
      status_reason: updated.status_reason,
      error_message: updated.error_message,
      job_outputs: updated.job_outputs,
      metrics: updated.metrics,
      workflow_run_id: updated.workflow_run_id,
      updated_at: updated.updated_at,
      completed_at: updated.completed_at,
    });
    return updated;
  }

  /** A job's state change and its job_state_changed event (actor from the cause). */
  private applyTransition(
    row: JobRow,
    to: JobState,
    cause: TransitionCause,
    reason: string,
    patch: z.output<typeof JobPatchSchema> = {},
    workflowRunId?: string,
  ): AiJob {
    const updated = this.writeTransition(row, to, cause, reason, patch, workflowRunId);
    const jobId = row.job_id;
    this.appendEvent({
      type: 'job_state_changed',
      actor: ACTOR_OF_CAUSE[cause],
      actor_id: cause,
      trace_id: row.trace_id,
      job_id: jobId,
      workflow_run_id: updated.workflow_run_id,
      payload: { from_state: row.status, to_state: to, cause, reason },
    });
    return this.emitJob(updated);
  }

  /** Merges metrics as they accrue (no event: metrics are not state changes). */
  updateMetrics(jobId: string, metrics: Partial<JobMetrics>): void {
    const id = parseOrThrow(UuidSchema, jobId, 'job_id');
    const delta = parseOrThrow(MetricsDeltaSchema, metrics, 'metrics');
    this.transaction(() => {
      const row = this.jobRow(id);
      this.sql.updateMetrics.run(JSON.stringify(mergeMetrics(row.metrics, delta)), id);
      this.emitJob(this.jobRow(id));
    });
  }

  listJobs(input: JobListFilter): { items: AiJob[]; next_cursor: string | null } {
    const filter = parseOrThrow(JobListFilterSchema, input, 'job filter');
    const sort = filter.sort ?? 'created_at_desc';
    const column = sort.startsWith('updated_at') ? 'updated_at' : 'created_at';
    const descending = sort.endsWith('_desc');
    const limit = filter.limit ?? 50;
    const where = new Conditions();
    where.oneOf('j.status', 'state', filter.state);
    where.oneOf('j.job_kind', 'kind', filter.job_kind);
    where.when(filter.created_from, 'j.created_at >= @created_from', 'created_from');
    where.when(filter.created_to, 'j.created_at <= @created_to', 'created_to');
    where.when(filter.trace_id, 'j.trace_id = @trace_id', 'trace_id');
    where.when(
      filter.workflow_run_id,
      'j.job_id IN (SELECT job_id FROM workflow_runs WHERE workflow_run_id = @workflow_run_id)',
      'workflow_run_id',
    );
    const match = filter.text ? ftsCondition(filter.text) : null;
    if (match) where.raw(match.sql, match.params);
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor, 'jobs');
      if (cursor.sort !== sort) {
        throw new HskError(ERROR_CODES.invalidInput, 'cursor belongs to a different sort order', { field: 'cursor' });
      }
      where.raw(`(j.${column}, j.rowid) ${descending ? '<' : '>'} (@cursor_value, @cursor_rowid)`, {
        cursor_value: cursor.value,
        cursor_rowid: cursor.rowid,
      });
    }
    const direction = descending ? 'DESC' : 'ASC';
    const sql = `SELECT j.rowid, j.* FROM ai_jobs j ${where.toSql()}
      ORDER BY j.${column} ${direction}, j.rowid ${direction} LIMIT ${limit + 1}`;
    const rows = this.statements.get(sql).all(where.params) as JobRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toJob),
      next_cursor:
        rows.length > limit && last ? encodeCursor('jobs', { sort, value: last[column], rowid: last.rowid }) : null,
    };
  }

  // ---- workflow runs ------------------------------------------------------------------------

  /** Starts an attempt: a new running run, the job queued -> running, and both events, atomically. */
  startRun(jobId: string): { job: AiJob; run: WorkflowRun } {
    const id = parseOrThrow(UuidSchema, jobId, 'job_id');
    return this.transaction(() => {
      const row = this.jobRow(id);
      const runId = uuidv7();
      const attempt = (this.sql.maxAttempt.get(id) as { attempt: number }).attempt + 1;
      const check = checkTransition(row.status, 'running', 'engine');
      if (!check.ok) throw new HskError(ERROR_CODES.illegalTransition, check.reason, { job_id: id });
      const now = this.now();
      this.sql.insertRun.run({ workflow_run_id: runId, job_id: id, attempt, now });
      this.appendEvent({
        type: 'workflow_run_started',
        actor: 'system',
        actor_id: 'workflow_engine',
        trace_id: row.trace_id,
        job_id: id,
        workflow_run_id: runId,
        payload: { workflow_run_id: runId, attempt, job_kind: row.job_kind },
      });
      const job = this.applyTransition(row, 'running', 'engine', 'running', {}, runId);
      const run = toRun({ workflow_run_id: runId, job_id: id, attempt, status: 'running', status_reason: 'running', last_heartbeat: now, created_at: now, updated_at: now, finished_at: null }, []);
      return { job, run };
    });
  }

  getRun(runId: string): WorkflowRun {
    const id = parseOrThrow(UuidSchema, runId, 'workflow_run_id');
    const row = this.sql.runById.get(id) as RunRow | undefined;
    if (!row) throw notFound('workflow run', id);
    return toRun(row, (this.sql.nodesOfRun.all(id) as NodeRow[]).map(toNode));
  }

  listRuns(jobId: string): WorkflowRun[] {
    const id = parseOrThrow(UuidSchema, jobId, 'job_id');
    this.jobRow(id);
    return (this.sql.runsOfJob.all(id) as RunRow[]).map((row) =>
      toRun(row, (this.sql.nodesOfRun.all(row.workflow_run_id) as NodeRow[]).map(toNode)),
    );
  }

  /** Updates last_heartbeat in place (no event). Only a running run has a heartbeat. */
  heartbeat(runId: string, atMs: number = this.now()): void {
    const id = parseOrThrow(UuidSchema, runId, 'workflow_run_id');
    const at = parseOrThrow(EpochMsSchema, atMs, 'heartbeat time');
    this.sql.heartbeat.run(at, id);
  }

  /** Ends an attempt: the run's final status, its event, and the job's transition, atomically. */
  finishRun(runId: string, outcome: RunOutcome): AiJob {
    const id = parseOrThrow(UuidSchema, runId, 'workflow_run_id');
    const result = parseOrThrow(FinishRunSchema, outcome, 'run outcome');
    return this.transaction(() => {
      const run = this.sql.runById.get(id) as RunRow | undefined;
      if (!run) throw notFound('workflow run', id);
      if (run.status !== 'running') {
        throw new HskError(ERROR_CODES.conflict, `workflow run ${id} is already ${run.status}`, { status: run.status });
      }
      const now = this.now();
      const job = this.jobRow(run.job_id);
      this.sql.finishRun.run({ workflow_run_id: id, status: result.status, status_reason: result.reason, now, finished_at: now });
      this.appendEvent({
        type: 'workflow_run_finished',
        actor: ACTOR_OF_CAUSE[result.cause],
        actor_id: result.cause === 'engine' ? 'workflow_engine' : result.cause,
        trace_id: job.trace_id,
        job_id: run.job_id,
        workflow_run_id: id,
        payload: { workflow_run_id: id, status: result.status, reason: result.reason, duration_ms: now - run.created_at },
      });
      return this.applyTransition(job, result.jobState, result.cause, result.reason, result.patch, id);
    });
  }

  startNode(runId: string, node: z.input<typeof StartNodeSchema>): NodeExecution {
    const id = parseOrThrow(UuidSchema, runId, 'workflow_run_id');
    const spec = parseOrThrow(StartNodeSchema, node, 'node');
    return this.transaction(() => {
      const run = this.sql.runById.get(id) as RunRow | undefined;
      if (!run) throw notFound('workflow run', id);
      const nodeExecutionId = uuidv7();
      this.sql.insertNode.run({
        node_execution_id: nodeExecutionId,
        workflow_run_id: id,
        node_id: spec.node_id,
        node_type: spec.node_type,
        sequence: spec.sequence,
        input_payload: spec.input_payload === undefined || spec.input_payload === null ? null : JSON.stringify(spec.input_payload),
        now: this.now(),
      });
      this.appendEvent({
        type: 'workflow_node_started',
        actor: 'system',
        actor_id: 'workflow_engine',
        trace_id: this.jobRow(run.job_id).trace_id,
        job_id: run.job_id,
        workflow_run_id: id,
        payload: { node_execution_id: nodeExecutionId, node_id: spec.node_id, node_type: spec.node_type, sequence: spec.sequence },
      });
      return toNode(this.sql.nodeById.get(nodeExecutionId) as NodeRow);
    });
  }

  finishNode(nodeExecutionId: string, result: z.input<typeof FinishNodeSchema>): NodeExecution {
    const id = parseOrThrow(UuidSchema, nodeExecutionId, 'node_execution_id');
    const outcome = parseOrThrow(FinishNodeSchema, result, 'node result');
    return this.transaction(() => {
      const node = this.sql.nodeById.get(id) as NodeRow | undefined;
      if (!node) throw notFound('node execution', id);
      const run = this.sql.runById.get(node.workflow_run_id) as RunRow;
      const now = this.now();
      this.sql.finishNode.run({
        node_execution_id: id,
        status: outcome.status,
        status_reason: outcome.reason,
        output_payload: outcome.output_payload === undefined || outcome.output_payload === null ? null : JSON.stringify(outcome.output_payload),
        error_message: boundedMessage(outcome.error_message) ?? null,
        now,
      });
      this.appendEvent({
        type: 'workflow_node_finished',
        actor: 'system',
        actor_id: 'workflow_engine',
        trace_id: this.jobRow(run.job_id).trace_id,
        job_id: run.job_id,
        workflow_run_id: node.workflow_run_id,
        payload: { node_execution_id: id, node_id: node.node_id, status: outcome.status, reason: outcome.reason, duration_ms: now - node.started_at },
      });
      return toNode(this.sql.nodeById.get(id) as NodeRow);
    });
  }

  // ---- startup recovery (HSK-WF-003) -------------------------------------------------------

  /** Running runs, oldest heartbeat first. Reads the partial index only, never the history. */
  runningRuns(): Array<{ workflow_run_id: string; job_id: string; last_heartbeat: number }> {
    return this.sql.runningRuns.all() as Array<{ workflow_run_id: string; job_id: string; last_heartbeat: number }>;
  }

  /**
   * The one place that sets `stalled`: the run, its job (running -> stalled, cause recovery) and
   * the workflow_recovery event (actor system), in the caller's transaction.
   */
  stallRun(runId: string, reason: string, thresholdSecs: number, message: string): AiJob | null {
    return this.transaction(() => {
      const run = this.sql.runById.get(runId) as RunRow | undefined;
      if (!run || run.status !== 'running') return null;
      const now = this.now();
      this.sql.finishRun.run({ workflow_run_id: runId, status: 'stalled', status_reason: reason, now, finished_at: null });
      this.sql.stallNodes.run({ workflow_run_id: runId, status_reason: reason, now });
      const job = this.jobRow(run.job_id);
      // A job whose row is not `running` (e.g. imported legacy data) keeps its state; the run is still stalled.
      // workflow_recovery is the record of running -> stalled (FR-EVT-WF-RECOVERY), so no second event.
      const stalled =
        job.status === 'running'
          ? this.writeTransition(job, 'stalled', 'recovery', reason, { error_message: message }, runId)
          : job;
      this.appendEvent({
        type: 'workflow_recovery',
        actor: 'system',
        actor_id: 'startup_recovery',
        trace_id: job.trace_id,
        job_id: run.job_id,
        workflow_run_id: runId,
        payload: {
          workflow_run_id: runId,
          job_id: run.job_id,
          from_state: 'running',
          to_state: 'stalled',
          reason,
          last_heartbeat_ts: toRfc3339(run.last_heartbeat),
          threshold_secs: thresholdSecs,
        },
      });
      return this.emitJob(stalled);
    });
  }

  // ---- flight recorder ------------------------------------------------------------------

  listEvents(filter: EventFilter): { items: FlightEvent[]; next_cursor: string | null; purged_before: string | null } {
    return this.recorder.list(filter);
  }

  count(table: 'ai_jobs' | 'workflow_runs' | 'workflow_node_executions' | 'fr_events'): number {
    return (this.statements.get(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  eventsOfType(type: EventType, jobId?: string): FlightEvent[] {
    return this.recorder.list({ type: [type], job_id: jobId, order: 'asc', limit: LIMITS.listLimitMax }).items;
  }
}

/** The caller's spelling of the kind, when it differed from the canonical one (e.g. term_exec). */
function submittedSpelling(submitted: string | null | undefined, canonical: string): string | null {
  return submitted && submitted !== canonical ? submitted : null;
}

function mergeMetrics(stored: string, delta: Partial<JobMetrics>): JobMetrics {
  // Rows written by older code may lack keys; zero-fill so metrics are never partial (HSK-JOB-101).
  const merged = { ...zeroMetrics(), ...(JSON.parse(stored) as Partial<JobMetrics>), ...delta };
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, merged[key]])) as JobMetrics;
}
