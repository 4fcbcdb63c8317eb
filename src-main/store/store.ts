/**
 * The Store facade: one SQLite database holding ai_jobs, workflow_runs, workflow_node_executions
 * and the Flight Recorder. It keeps the database handle and the recorder to itself; callers get
 * named methods, every write goes through one commit path (commit.ts), and each state change is
 * written together with its event. Inputs are typed: they were parsed where they entered.
 */
import type Database from 'better-sqlite3';
import type { JobState, RunEndStatus } from '../../src-shared/enums';
import { JOB_STATE_OF_RUN_END } from '../../src-shared/enums';
import type { EventDraft, FlightEvent } from '../../src-shared/events';
import type { AiJob, JobMetrics, NewJob, NodeExecution, UnsupportedRecord, WorkflowRun } from '../../src-shared/job';
import type { EventQuery, JobListQuery } from '../../src-shared/ipc';
import type { TransitionCause } from '../../src-shared/transitions';
import type { Diagnostic, DiagnosticDraft, Problem, ProblemStatus } from '../../src-shared/diagnostics';
import type { ProblemQuery } from '../../src-shared/ipc';
import { openDatabase, type OpenOptions } from '../db/open';
import { diagnosticOfEvent, type ProducerJob, type ProducerLookup } from '../diagnostics/producers';
import { DEFERRABLE_TYPES, DeferredDiagnostics } from '../diagnostics/deferred';
import { DiagnosticTable, type InstancePage, type ProblemPage } from '../diagnostics/table';
import { FlightRecorder, type EventPage, type StoredEvent } from '../flight-recorder/recorder';
import { Committer, type StoreChange } from './commit';
import { JobTable, type CreateJobOptions, type JobPatch } from './jobs';
import { toJob, writtenJob, type JobRow } from './rows';
import { ProcessTable, type ProcessStartRecord } from './processes';
import { RunTable, type NodeResult, type NodeStart } from './runs';
import { JobSearch } from './search';

/** A search first indexes this many pending jobs itself, so a job is searchable as soon as it is stored. */
const SEARCH_CATCH_UP_ON_READ = 2_000;

export type { StoreChange } from './commit';
export type { CreateJobOptions, JobPatch } from './jobs';

/** How an attempt ended: the run's final status decides the job's state (JOB_STATE_OF_RUN_END). */
export interface RunOutcome {
  status: RunEndStatus;
  reason: string;
  cause: TransitionCause;
  patch?: JobPatch;
  /**
   * The work is done but a validator needs a person: the run ends `completed` and the job waits in
   * awaiting_validation (or goes on to awaiting_user) for jobs.accept / jobs.reject.
   */
  holdFor?: 'awaiting_validation' | 'awaiting_user';
}

/**
 * What a module that owns writes of its own (startup recovery, the legacy import) is given: the
 * tables inside the store's commit path. Nothing else reaches the database handle.
 */
export interface StoreAccess {
  db: Database.Database;
  jobs: JobTable;
  runs: RunTable;
  processes: ProcessTable;
  /** Records an event in the caller's transaction; listeners hear of it after the commit. */
  appendEvent(draft: EventDraft): FlightEvent;
  /**
   * Records many events in the caller's transaction, their Diagnostics written together (each
   * problem counted once per call). `knownJobs` spares the producers a read of jobs the caller holds.
   */
  appendEvents(drafts: readonly EventDraft[], knownJobs?: ReadonlyMap<string, ProducerJob>): FlightEvent[];
  /**
   * appendEvents for drafts the caller built from checked values only (FlightRecorder.recordChecked):
   * redacted, written set based, not parsed one by one. `knownJobs`: jobs the caller just wrote.
   * `diagnoseLater`: the events' Diagnostics are left to `diagnoseDeferred` (deferred.ts); only
   * for the types in DEFERRABLE_TYPES.
   */
  appendCheckedEvents(
    drafts: readonly EventDraft[],
    knownJobs?: ReadonlyMap<string, ProducerJob>,
    options?: { diagnoseLater?: boolean },
  ): FlightEvent[];
  /**
   * Writes the Diagnostics of up to `limit` events that were recorded with `diagnoseLater`, oldest
   * first, in the caller's transaction; returns how many events it handled (0: none wait).
   */
  diagnoseDeferred(limit: number): number;
  /** Appends copies of events the log already holds, in order (FlightRecorder.appendCopies); not announced. */
  appendEventCopies(rows: readonly StoredEvent[]): void;
  now: () => number;
  transaction<T>(work: () => T): T;
  /** Commits the open group commit, if any, at the connection's own durability. */
  commitGroup(): void;
  /** Announces a changed job row to listeners once the transaction commits; returns the record. */
  announceJob(row: JobRow): AiJob;
  /**
   * announceJob without the record now: the row is parsed when a listener first reads the
   * change's `job` (a damaged row then fails that listener alone, not the write).
   */
  announceJobRow(row: JobRow): void;
}

export class Store {
  private readonly db: Database.Database;
  private readonly recorder: FlightRecorder;
  private readonly committer: Committer;
  private readonly jobs: JobTable;
  private readonly runs: RunTable;
  private readonly diagnostics: DiagnosticTable;
  private readonly producerLookup: ProducerLookup;
  private readonly processes: ProcessTable;
  private readonly search: JobSearch;
  private readonly deferred: DeferredDiagnostics;
  private readonly now: () => number;

  static open(dataDir: string, options: OpenOptions & { now?: () => number } = {}): Store {
    return new Store(openDatabase(dataDir, options), options.now);
  }

  constructor(db: Database.Database, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
    this.recorder = new FlightRecorder(db, now);
    this.committer = new Committer(db);
    const append = (draft: EventDraft) => {
      this.appendEvent(draft);
    };
    this.jobs = new JobTable(db, append, now);
    this.runs = new RunTable(db, append, now);
    this.diagnostics = new DiagnosticTable(db, append, now, (drafts) => this.appendEvents(drafts, undefined, true));
    this.producerLookup = {
      job: (jobId) => (this.jobs.exists(jobId) ? this.jobs.row(jobId) : null),
      deniedCapabilities: (jobId) =>
        this.recorder
          .list({ job_id: jobId, type: ['capability_action'], order: 'asc', limit: 50 })
          .items.filter((event) => event.payload.decision_outcome === 'deny')
          .map((event) => String(event.payload.capability_id)),
    };
    this.processes = new ProcessTable(db, now);
    this.search = new JobSearch(db);
    this.deferred = new DeferredDiagnostics(db);
  }

  close(): void {
    if (!this.db.open) return;
    this.committer.commitGroup();
    this.db.close();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.committer.onChange(listener);
  }

  /**
   * Runs `work` atomically: an IMMEDIATE transaction, durable on return. Called inside another
   * transaction or a group unit, it joins that unit: if it fails, the unit is rolled back whole,
   * even if the unit's code catches the error (Committer.joined).
   */
  transaction<T>(work: () => T): T {
    return this.committer.transaction(work);
  }

  groupTransaction<T>(work: () => T): { result: T; durable: Promise<void> } {
    return this.committer.groupTransaction(work);
  }

  commitGroup(): void {
    this.committer.commitGroup();
  }

  /** Hands a module with writes of its own the tables, inside this store's commit path. */
  attach<T>(build: (access: StoreAccess) => T): T {
    return build({
      db: this.db,
      jobs: this.jobs,
      runs: this.runs,
      processes: this.processes,
      appendEvent: (draft) => this.appendEvent(draft),
      appendEvents: (drafts, knownJobs) => this.appendEvents(drafts, knownJobs),
      appendCheckedEvents: (drafts, knownJobs, options) => this.appendEvents(drafts, knownJobs, true, !options?.diagnoseLater),
      diagnoseDeferred: (limit) => this.diagnoseDeferred(limit),
      appendEventCopies: (rows) => this.recorder.appendCopies(rows),
      now: this.now,
      transaction: (work) => this.transaction(work),
      commitGroup: () => this.commitGroup(),
      announceJob: (row) => this.announceJob(row),
      announceJobRow: (row) => this.committer.announce(lazyJobChange(row)),
    });
  }

  /**
   * Announces a job changed in this transaction and returns its record: mapped without the parse
   * when the change was made to a row known valid (JobTable.written), parsed otherwise, and then
   * known valid itself.
   */
  private announceJob(row: JobRow): AiJob {
    const { written } = this.jobs;
    let job: AiJob;
    if (written.isRemembered(row)) {
      job = writtenJob(row);
    } else {
      job = toJob(row);
      written.remember(row);
    }
    this.committer.announce(jobChange(job));
    return job;
  }

  /**
   * Appends an event inside the caller's transaction (no savepoint of its own). An event that
   * reports a problem gets its Diagnostic in the same transaction (diagnostics/producers.ts).
   */
  private appendEvent(draft: EventDraft): FlightEvent {
    const event = this.recorder.record(draft);
    this.committer.announce({ kind: 'event', event });
    const problem = diagnosticOfEvent(event, this.producerLookup);
    if (problem) this.diagnostics.recordOnly(problem);
    return event;
  }

  /**
   * appendEvent for a batch, with the events' Diagnostics together (DiagnosticTable.recordMany).
   * `checked`: the caller built every draft from checked values (ids, enums, numbers it has just
   * written), so the drafts go to FlightRecorder.recordChecked: redacted like every other, written
   * in multi-row inserts, without the per-event schema parse.
   */
  private appendEvents(
    drafts: readonly EventDraft[],
    knownJobs?: ReadonlyMap<string, ProducerJob>,
    checked = false,
    diagnose = true,
  ): FlightEvent[] {
    if (!diagnose) {
      const other = drafts.find((draft) => !DEFERRABLE_TYPES.has(draft.type));
      if (other) throw new Error(`the Diagnostics of a ${other.type} event cannot be deferred`);
    }
    const events = checked ? this.recorder.recordChecked(drafts) : drafts.map((draft) => this.recorder.record(draft));
    for (const event of events) this.committer.announce({ kind: 'event', event });
    if (!diagnose) {
      if (events.length > 0) this.deferred.mark(events[0]!.seq, events[events.length - 1]!.seq);
      return events;
    }
    this.diagnose(events, knownJobs);
    return events;
  }

  /** Records the Diagnostics of the events that report a problem, together (DiagnosticTable.recordMany). */
  private diagnose(events: readonly FlightEvent[], knownJobs?: ReadonlyMap<string, ProducerJob>): void {
    const lookup: ProducerLookup = knownJobs
      ? { ...this.producerLookup, job: (jobId) => knownJobs.get(jobId) ?? this.producerLookup.job(jobId) }
      : this.producerLookup;
    const problems = events.flatMap((event) => diagnosticOfEvent(event, lookup) ?? []);
    if (problems.length > 0) this.diagnostics.recordMany(problems, knownJobs);
  }

  private diagnoseDeferred(limit: number): number {
    return this.transaction(() => {
      const range = this.deferred.pending();
      if (!range) return 0;
      const events = [...DEFERRABLE_TYPES].flatMap((type) => this.recorder.ofType(type, range.after, range.through, limit));
      events.sort((a, b) => a.seq - b.seq);
      const batch = events.slice(0, limit);
      this.diagnose(batch);
      // Fewer than asked for: the range holds no more.
      this.deferred.advance(range, batch.length < limit ? range.through : batch[batch.length - 1]!.seq);
      return batch.length;
    });
  }

  // ---- diagnostics and problems ---------------------------------------------------------------

  /** The one way a Diagnostic is stored: instance, problem and its `diagnostic` event, atomically. */
  recordDiagnostic(draft: DiagnosticDraft): Diagnostic {
    return this.transaction(() => this.diagnostics.record(draft));
  }

  getDiagnostic(id: string): Diagnostic {
    return this.diagnostics.diagnostic(id);
  }

  getProblem(fingerprint: string): Problem {
    return this.diagnostics.problem(fingerprint);
  }

  listProblems(query: ProblemQuery): ProblemPage {
    return this.diagnostics.listProblems(query);
  }

  problemInstances(fingerprint: string, cursor?: string, limit?: number): InstancePage {
    return this.diagnostics.instances(fingerprint, cursor, limit);
  }

  diagnosticsOfJob(jobId: string, limit: number): Diagnostic[] {
    return this.diagnostics.ofJob(jobId, limit);
  }

  diagnosticsInWindow(from: number, to: number, limit: number): Diagnostic[] {
    return this.diagnostics.inWindow(from, to, limit);
  }

  /** An operator sets a problem's status; the change is an event with actor human (P-03). */
  setProblemStatus(fingerprint: string, status: ProblemStatus, reason: string): Problem {
    return this.transaction(() => this.diagnostics.setStatus(fingerprint, status, reason, 'human'));
  }

  /** Recomputes the grouping from the raw instances (which it never drops); returns the problem count. */
  rebuildProblems(): number {
    return this.transaction(() => this.diagnostics.rebuildProblems());
  }

  // ---- events -----------------------------------------------------------------------------

  /** Records one event (validated). Inside a transaction it commits with the caller's change. */
  recordEvent(draft: EventDraft): FlightEvent {
    return this.transaction(() => this.appendEvent(draft));
  }

  listEvents(query: EventQuery): EventPage {
    return this.recorder.list(query);
  }

  /** How the previous process ended, read from the log's last lifecycle marker. */
  previousStop(): 'clean' | 'crash' | 'first_start' {
    return this.recorder.previousStop();
  }

  purgedBefore(): string | null {
    return this.recorder.purgedBefore();
  }

  /** Applies the retention window through the same commit path as every other write. */
  purgeEvents(retentionDays: number, traceId: string): number {
    return this.transaction(() => {
      const purge = this.recorder.purge(retentionDays);
      if (purge.deleted === 0) return 0;
      this.appendEvent({
        type: 'retention_purge',
        actor: 'system',
        actor_id: 'retention',
        trace_id: traceId,
        payload: { retention_days: retentionDays, cutoff: purge.cutoff, purged_count: purge.deleted },
      });
      return purge.deleted;
    });
  }

  // ---- jobs -------------------------------------------------------------------------------

  /** Stores a new job: queued, zeroed metrics, a trace_id, and its job_created event — atomically (a batch of one). */
  createJob(job: NewJob, options: CreateJobOptions): AiJob {
    return this.createJobs([job], options)[0]!;
  }

  /**
   * Stores many jobs in one transaction (one fsync), each with its job_created event: the batch
   * path of the seed and the benchmark. Options may differ per job (e.g. its capability profile).
   */
  createJobs(jobs: readonly NewJob[], options: CreateJobOptions | ((job: NewJob) => CreateJobOptions)): AiJob[] {
    const optionsOf = typeof options === 'function' ? options : () => options;
    return this.transaction(() => {
      const rows = this.jobs.insertMany(jobs, optionsOf, (drafts) => this.appendEvents(drafts, undefined, true));
      // Rows this call has just written from checked values: mapped without the read-side parse.
      return rows.map((row) => {
        const job = writtenJob(row);
        this.committer.announce(jobChange(job));
        return job;
      });
    });
  }

  getJob(jobId: string): AiJob {
    return toJob(this.jobs.row(jobId));
  }

  nextQueuedJobs(limit: number): Array<AiJob | UnsupportedRecord> {
    return this.jobs.nextQueued(limit);
  }

  /** A guarded state change and its job_state_changed event, atomically (HSK-409 if illegal). */
  transitionJob(jobId: string, to: JobState, cause: TransitionCause, reason: string, patch?: JobPatch): AiJob {
    return this.transaction(() =>
      this.announceJob(this.jobs.transition({ job: this.jobs.row(jobId), to, cause, reason, patch })),
    );
  }

  updateMetrics(jobId: string, metrics: Partial<JobMetrics>): void {
    this.transaction(() => this.announceJob(this.jobs.mergeMetrics(jobId, metrics)));
  }

  /**
   * A page of jobs. A text search first indexes a small backlog itself (read-your-writes); a larger
   * one (after a bulk import) is left to the indexer, and the page says how many jobs it could not
   * see yet (`search_index_lag`).
   */
  listJobs(query: JobListQuery): { items: Array<AiJob | UnsupportedRecord>; next_cursor: string | null; search_index_lag?: number } {
    if (!query.text) return this.jobs.list(query);
    const lag = this.freshenSearch();
    const page = this.jobs.list(query);
    return lag > 0 ? { ...page, search_index_lag: lag } : page;
  }

  /**
   * Before a text query: indexes a small backlog now (read-your-writes) and returns what is still
   * pending (a larger backlog, after a bulk import, is the indexer's).
   */
  freshenSearch(): number {
    let lag = this.search.lagUpTo(SEARCH_CATCH_UP_ON_READ + 1);
    if (lag > 0 && lag <= SEARCH_CATCH_UP_ON_READ) lag -= this.indexSearch(lag);
    return lag > 0 ? this.search.lag() : 0;
  }

  /** Jobs stored or changed but not yet in the full-text index (system.status shows it). */
  searchIndexLag(): number {
    return this.search.lag();
  }

  /** Indexes up to `limit` pending jobs in one transaction, off any writer's commit; returns how many. */
  indexSearch(limit: number): number {
    return this.transaction(() => this.search.catchUp(limit));
  }

  // ---- workflow runs ------------------------------------------------------------------------

  /**
   * Starts an attempt: a new running run, the job queued -> running (recording the runtime that
   * runs it), and both events, atomically.
   */
  startRun(jobId: string, runtimeId?: string): { job: AiJob; run: WorkflowRun } {
    return this.transaction(() => {
      const row = this.jobs.row(jobId);
      const run = this.runs.insert(row);
      // One check, in the transition: a job that is not queued rolls the new run back with it.
      const job = this.jobs.transition({
        job: row,
        to: 'running',
        cause: 'engine',
        reason: 'running',
        workflowRunId: run.workflow_run_id,
        patch: runtimeId === undefined ? {} : { runtime_id: runtimeId },
      });
      return { job: this.announceJob(job), run };
    });
  }

  getRun(runId: string): WorkflowRun {
    return this.runs.get(runId);
  }

  listRuns(jobId: string): WorkflowRun[] {
    this.jobs.row(jobId);
    return this.runs.ofJob(jobId);
  }

  /** Updates last_heartbeat in place (no event). Only a running run has a heartbeat. */
  heartbeat(runId: string, atMs: number = this.now()): void {
    this.runs.heartbeat(runId, atMs);
  }

  /** Ends an attempt: the run's final status, its event, and the job's transition, atomically. */
  finishRun(runId: string, outcome: RunOutcome): AiJob {
    return this.transaction(() => {
      const run = this.runs.finish(runId, outcome.status, outcome.reason);
      const job = this.jobs.row(run.job_id);
      this.runs.recordFinished(run, job, outcome.cause);
      const base = { cause: outcome.cause, reason: outcome.reason, workflowRunId: runId };
      if (!outcome.holdFor) {
        return this.announceJob(this.jobs.transition({ ...base, job, to: JOB_STATE_OF_RUN_END[outcome.status], patch: outcome.patch }));
      }
      const validating = this.jobs.transition({ ...base, job, to: 'awaiting_validation', patch: outcome.patch });
      const held = outcome.holdFor === 'awaiting_user' ? this.jobs.transition({ ...base, job: validating, to: 'awaiting_user' }) : validating;
      return this.announceJob(held);
    });
  }

  startNode(runId: string, node: NodeStart): NodeExecution {
    return this.transaction(() => {
      const run = this.runs.row(runId);
      return this.runs.startNode(run, this.jobs.row(run.job_id), node);
    });
  }

  /** Records a step of `runId` that reuses the output of `from`, a completed node of attempt `fromAttempt`. */
  reuseNode(runId: string, node: NodeStart, from: NodeExecution, fromAttempt: number): NodeExecution {
    return this.transaction(() => {
      const run = this.runs.row(runId);
      return this.runs.reuseNode(run, this.jobs.row(run.job_id), node, from, fromAttempt);
    });
  }

  finishNode(nodeExecutionId: string, result: NodeResult): NodeExecution {
    return this.transaction(() => {
      const node = this.runs.nodeRow(nodeExecutionId);
      const run = this.runs.row(node.workflow_run_id);
      return this.runs.finishNode(node, this.jobs.row(run.job_id), result);
    });
  }

  // ---- executor processes -------------------------------------------------------------------

  /** Records a process group an executor started (before its command runs); returns its id. */
  recordProcess(record: ProcessStartRecord): number {
    return this.transaction(() => this.processes.insert(record));
  }

  /** Marks a recorded process group as ended. */
  endProcess(processId: number, reason: string): void {
    this.transaction(() => this.processes.end(processId, reason));
  }
}

function jobChange(job: AiJob): StoreChange {
  return { kind: 'job', job_id: job.job_id, state: job.state, job };
}

/** A job change whose record is parsed from the row when first read, once. */
function lazyJobChange(row: JobRow): StoreChange {
  let job: AiJob | undefined;
  return {
    kind: 'job',
    job_id: row.job_id,
    state: row.status,
    get job() {
      job ??= toJob(row);
      return job;
    },
  };
}
