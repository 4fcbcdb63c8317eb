/**
 * A Flight Recorder history of about 1,000,000 events for the lanes and trace benchmarks, written
 * with raw SQL in large transactions: jobs that each run once (one node, a model call), two at a
 * time like the engine's two slots, every event in time order as the recorder writes them. The
 * last `traceJobs` jobs share one trace_id, so one trace holds `traceJobs * 8` events.
 */
import { JOB_KINDS } from '../src-shared/enums';
import { zeroMetrics } from '../src-shared/job';
import { openDatabase } from '../src-main/db/open';
import { uuidv7 } from '../src-main/db/ids';
import { JobSearch } from '../src-main/store/search';

export const EVENTS_PER_JOB = 8;
const START_EVERY_MS = 1_500;
const RUN_MS = 2_900;

export interface EventHistory {
  dir: string;
  events: number;
  /** A window of `SPAN_WINDOW_MS` in the middle of the history, where runs can be drawn one by one. */
  middle: { from: string; to: string };
  first: string;
  last: string;
  traceId: string;
  traceEvents: number;
}

interface PendingEvent {
  at: number;
  type: string;
  jobId: string;
  traceId: string;
  runId: string | null;
  payload: string;
}

function jobEvents(jobId: string, traceId: string, runId: string, nodeId: string, kind: string, start: number): PendingEvent[] {
  const event = (offset: number, type: string, payload: object, run: string | null = runId) => ({ at: start + offset, type, jobId, traceId, runId: run, payload: JSON.stringify(payload) });
  return [
    event(0, 'job_created', { job_kind: kind, protocol_id: `bench.${kind}.v0`, state: 'queued', submitted_job_kind: null }, null),
    event(40, 'workflow_run_started', { workflow_run_id: runId, attempt: 1, job_kind: kind }),
    event(40, 'job_state_changed', { from_state: 'queued', to_state: 'running', cause: 'engine', reason: 'running' }),
    event(60, 'workflow_node_started', { node_execution_id: nodeId, node_id: kind, node_type: 'model', sequence: 0 }),
    event(RUN_MS - 400, 'llm_inference', { trace_id: traceId, model_id: 'mock:bench', token_usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 } }),
    event(RUN_MS - 100, 'workflow_node_finished', { node_execution_id: nodeId, node_id: kind, status: 'completed', reason: 'completed', duration_ms: RUN_MS - 160 }),
    event(RUN_MS, 'workflow_run_finished', { workflow_run_id: runId, status: 'completed', reason: 'completed', duration_ms: RUN_MS - 40 }),
    event(RUN_MS, 'job_state_changed', { from_state: 'running', to_state: 'completed', cause: 'engine', reason: 'completed' }),
  ];
}

export function buildEventHistory(dir: string, events = 1_000_000, traceJobs = 1_250, spanWindowMs = 600_000): EventHistory {
  const db = openDatabase(dir, { synchronous: 'NORMAL' });
  db.pragma('synchronous = OFF');
  const insertJob = db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason, protocol_id,
    profile_id, capability_profile_id, access_mode, safety_mode, metrics, job_inputs, job_outputs, created_at, updated_at, completed_at,
    flight_recorder_span_id)
    VALUES (?, ?, ?, ?, 'completed', 'completed', ?, 'default', 'Analyst', 'analysis_only', 'normal', ?, ?, ?, ?, ?, ?, ?)`);
  const insertRun = db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason, last_heartbeat,
    created_at, updated_at, finished_at) VALUES (?, ?, 1, 'completed', 'completed', ?, ?, ?, ?)`);
  const insertNode = db.prepare(`INSERT INTO workflow_node_executions (node_execution_id, workflow_run_id, node_id, node_type, sequence,
    status, status_reason, started_at, finished_at) VALUES (?, ?, ?, 'model', 0, 'completed', 'completed', ?, ?)`);
  const insertEvent = db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, job_id, workflow_run_id, payload)
    VALUES (?, ?, ?, 'system', 'bench', ?, ?, ?, ?)`);
  const jobs = Math.ceil(events / EVENTS_PER_JOB);
  const start = Date.now() - jobs * START_EVERY_MS - 3_600_000;
  const sharedTrace = uuidv7(start);
  const metrics = JSON.stringify({ ...zeroMetrics(), duration_ms: RUN_MS, total_tokens: 20, input_tokens: 12, output_tokens: 8 });
  let pending: PendingEvent[] = [];
  const flushBefore = (limit: number) => {
    pending.sort((a, b) => a.at - b.at);
    const due = pending.filter((event) => event.at < limit);
    pending = pending.filter((event) => event.at >= limit);
    for (const event of due) insertEvent.run(uuidv7(event.at), event.type, event.at, event.traceId, event.jobId, event.runId, event.payload);
  };
  const chunk = 20_000;
  for (let from = 0; from < jobs; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(jobs, from + chunk); i += 1) {
        const created = start + i * START_EVERY_MS;
        const kind = JOB_KINDS[i % JOB_KINDS.length]!;
        const jobId = uuidv7(created);
        const runId = uuidv7(created + 40);
        const nodeId = uuidv7(created + 60);
        const traceId = i >= jobs - traceJobs ? sharedTrace : uuidv7(created);
        flushBefore(created);
        insertJob.run(jobId, traceId, runId, kind, `bench.${kind}.v0`, metrics, JSON.stringify({ text: `job ${i}` }), JSON.stringify({ summary: `done ${i}` }), created, created + RUN_MS, created + RUN_MS, jobId);
        insertRun.run(runId, jobId, created + RUN_MS, created + 40, created + RUN_MS, created + RUN_MS);
        insertNode.run(nodeId, runId, kind, created + 60, created + RUN_MS - 100);
        pending.push(...jobEvents(jobId, traceId, runId, nodeId, kind, created));
      }
      if (from + chunk >= jobs) flushBefore(Infinity);
    })();
  }
  // The full-text index caught up as a live app keeps it: otherwise the served app's indexer works
  // through every job in the first seconds and the first timed rounds measure that (a 3.5 s outlier).
  const search = new JobSearch(db);
  while (db.transaction(() => search.catchUp(50_000))() > 0);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  const end = start + jobs * START_EVERY_MS;
  const middle = start + (end - start) / 2;
  return {
    dir,
    events: jobs * EVENTS_PER_JOB,
    middle: { from: new Date(middle).toISOString(), to: new Date(middle + spanWindowMs).toISOString() },
    first: new Date(start).toISOString(),
    last: new Date(end + RUN_MS).toISOString(),
    traceId: sharedTrace,
    traceEvents: traceJobs * EVENTS_PER_JOB,
  };
}
