/**
 * What the store, the engine's configuration and startup recovery know about one job, read
 * lazily and at most once per explanation: the rules in rules.ts ask only for what they use.
 */
import type Database from 'better-sqlite3';
import type { JobKind } from '../../src-shared/enums';
import type { EventType, FlightEvent } from '../../src-shared/events';
import type { RecoveryStatus } from '../../src-shared/ipc';
import type { AiJob, WorkflowRun } from '../../src-shared/job';
import type { Store } from '../store/store';

export interface ModelRuntimeInfo {
  kind: 'mock' | 'ollama' | 'none';
  label: string;
  model_id: string | null;
}

/** The core's parts an explanation reads. */
export interface ExplainSources {
  store: Store;
  recoveryStatus(): RecoveryStatus;
  /** Jobs the engine runs at once. */
  concurrency: number;
  modelRuntime: ModelRuntimeInfo;
  now?: () => number;
}

export interface JobBrief {
  job_id: string;
  job_kind: JobKind;
  /** created_at for queued jobs, the start of the current state for running ones (epoch ms). */
  since: number;
}

/** Events of one type looked at per job: the latest ones matter, and a job has few of each. */
const EVENTS_PER_TYPE = 50;
/** Jobs named in a queue explanation (the count covers the rest). */
const NAMED_JOBS = 3;

/** The queue as the engine sees it: queued jobs in creation order, running jobs holding slots. */
export class QueueQueries {
  private readonly aheadCount: Database.Statement;
  private readonly aheadFirst: Database.Statement;
  private readonly runningCount: Database.Statement;
  private readonly runningFirst: Database.Statement;

  constructor(db: Database.Database) {
    // The engine takes queued jobs by (created_at, rowid); those before this one go first.
    const ahead = `FROM ai_jobs q, ai_jobs me WHERE me.job_id = @job_id AND q.status = 'queued'
      AND (q.created_at < me.created_at OR (q.created_at = me.created_at AND q.rowid < me.rowid))`;
    this.aheadCount = db.prepare(`SELECT count(*) AS n ${ahead}`);
    this.aheadFirst = db.prepare(`SELECT q.job_id, q.job_kind, q.created_at AS since ${ahead} ORDER BY q.created_at, q.rowid LIMIT ${NAMED_JOBS}`);
    this.runningCount = db.prepare("SELECT count(*) AS n FROM ai_jobs WHERE status = 'running'");
    this.runningFirst = db.prepare(`SELECT job_id, job_kind, updated_at AS since FROM ai_jobs WHERE status = 'running' ORDER BY created_at LIMIT ${NAMED_JOBS}`);
  }

  ahead(jobId: string): { count: number; first: JobBrief[] } {
    return {
      count: (this.aheadCount.get({ job_id: jobId }) as { n: number }).n,
      first: this.aheadFirst.all({ job_id: jobId }) as JobBrief[],
    };
  }

  running(): { count: number; first: JobBrief[] } {
    return { count: (this.runningCount.get() as { n: number }).n, first: this.runningFirst.all() as JobBrief[] };
  }
}

export class JobEvidence {
  readonly now: number;
  private runsCache: WorkflowRun[] | null = null;
  private recoveryCache: RecoveryStatus | null = null;
  private readonly eventCache = new Map<EventType, FlightEvent[]>();

  constructor(
    readonly job: AiJob,
    private readonly sources: ExplainSources,
    private readonly queue: QueueQueries,
  ) {
    this.now = (sources.now ?? Date.now)();
  }

  get concurrency(): number {
    return this.sources.concurrency;
  }

  get modelRuntime(): ModelRuntimeInfo {
    return this.sources.modelRuntime;
  }

  recovery(): RecoveryStatus {
    this.recoveryCache ??= this.sources.recoveryStatus();
    return this.recoveryCache;
  }

  runs(): WorkflowRun[] {
    this.runsCache ??= this.sources.store.listRuns(this.job.job_id);
    return this.runsCache;
  }

  /** The job's current (or last) attempt. */
  currentRun(): WorkflowRun | null {
    const runs = this.runs();
    return runs.find((run) => run.workflow_run_id === this.job.workflow_run_id) ?? runs.at(-1) ?? null;
  }

  /** The job's events of `type`, newest first. */
  events(type: EventType): FlightEvent[] {
    let events = this.eventCache.get(type);
    if (!events) {
      events = this.sources.store.listEvents({ job_id: this.job.job_id, type: [type], order: 'desc', limit: EVENTS_PER_TYPE }).items;
      this.eventCache.set(type, events);
    }
    return events;
  }

  latest(type: EventType): FlightEvent | null {
    return this.events(type)[0] ?? null;
  }

  /** The job_state_changed event that put the job in its current state, if it is still kept. */
  enteredState(): FlightEvent | null {
    return this.events('job_state_changed').find((event) => event.payload.to_state === this.job.state) ?? null;
  }

  ahead(): { count: number; first: JobBrief[] } {
    return this.queue.ahead(this.job.job_id);
  }

  running(): { count: number; first: JobBrief[] } {
    return this.queue.running();
  }
}
