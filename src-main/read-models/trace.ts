/**
 * One trace: its jobs (oldest first), their runs and node executions, without payloads, in three
 * indexed queries, plus its first events. A trace of 10,000 events thus opens on one answer of a
 * few hundred kilobytes; the rest of its events follow through events.list from the cursor given.
 */
import type Database from 'better-sqlite3';
import { TRACE_FIRST_EVENTS, TRACE_MAX_JOBS, type Trace, type TraceJob, type TraceNode, type TraceRun } from '../../src-shared/inspector-views';
import { LIMITS } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';
import type { JobRow as StoredJobRow, NodeRow as StoredNodeRow, RunRow as StoredRunRow } from '../store/rows';
import type { Store } from '../store/store';
import type { ReadSource } from './source';

type JobRow = Pick<StoredJobRow, 'job_id' | 'trace_id' | 'workflow_run_id' | 'job_kind' | 'status' | 'status_reason' | 'error_message' | 'protocol_id' | 'created_at' | 'updated_at' | 'completed_at'>;
type RunRow = Omit<StoredRunRow, 'updated_at'>;
type NodeRow = Omit<StoredNodeRow, 'input_payload' | 'output_payload'>;

const time = (ms: number | null) => (ms === null ? null : toRfc3339(ms));

function prepare(db: Database.Database) {
  return {
    jobs: db.prepare(`SELECT job_id, trace_id, workflow_run_id, job_kind, status, status_reason, error_message, protocol_id,
      created_at, updated_at, completed_at FROM ai_jobs WHERE trace_id = ? ORDER BY created_at, rowid LIMIT ?`),
    runs: db.prepare(`SELECT workflow_run_id, job_id, status, attempt, last_heartbeat, created_at, finished_at, status_reason
      FROM workflow_runs WHERE job_id IN (SELECT value FROM json_each(?)) ORDER BY job_id, attempt`),
    nodes: db.prepare(`SELECT node_execution_id, workflow_run_id, node_id, node_type, sequence, status, status_reason,
      error_message, started_at, finished_at FROM workflow_node_executions
      WHERE workflow_run_id IN (SELECT value FROM json_each(?)) ORDER BY workflow_run_id, sequence`),
  };
}

const statements = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function sqlFor(db: Database.Database): ReturnType<typeof prepare> {
  let sql = statements.get(db);
  if (!sql) {
    sql = prepare(db);
    statements.set(db, sql);
  }
  return sql;
}

function toJob({ status, ...row }: JobRow): TraceJob {
  return { ...row, state: status, created_at: toRfc3339(row.created_at), updated_at: toRfc3339(row.updated_at), completed_at: time(row.completed_at) };
}

function toNode(row: NodeRow): TraceNode {
  return { ...row, started_at: toRfc3339(row.started_at), finished_at: time(row.finished_at) };
}

function toRun(row: RunRow, nodes: TraceNode[]): TraceRun {
  return { ...row, last_heartbeat: toRfc3339(row.last_heartbeat), created_at: toRfc3339(row.created_at), finished_at: time(row.finished_at), nodes };
}

function firstEvents(store: Pick<Store, 'listEvents'>, traceId: string, limit: number): Pick<Trace, 'events' | 'events_next_cursor'> {
  const events: Trace['events'] = [];
  let cursor: string | null = null;
  do {
    const page: ReturnType<Store['listEvents']> = store.listEvents({ trace_id: traceId, order: 'asc', limit: Math.min(LIMITS.listLimitMax, limit - events.length), ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && events.length < limit);
  return { events, events_next_cursor: cursor };
}

export function loadTrace(source: ReadSource, store: Pick<Store, 'listEvents'>, traceId: string, eventLimit = TRACE_FIRST_EVENTS): Trace {
  const sql = sqlFor(source.db);
  const jobRows = sql.jobs.all(traceId, TRACE_MAX_JOBS + 1) as JobRow[];
  const jobs = jobRows.slice(0, TRACE_MAX_JOBS).map(toJob);
  const runRows = sql.runs.all(JSON.stringify(jobs.map((job) => job.job_id))) as RunRow[];
  const nodesByRun = new Map<string, TraceNode[]>();
  for (const node of sql.nodes.all(JSON.stringify(runRows.map((run) => run.workflow_run_id))) as NodeRow[]) {
    nodesByRun.set(node.workflow_run_id, [...(nodesByRun.get(node.workflow_run_id) ?? []), toNode(node)]);
  }
  return {
    trace_id: traceId,
    jobs,
    runs: runRows.map((run) => toRun(run, nodesByRun.get(run.workflow_run_id) ?? [])),
    ...firstEvents(store, traceId, eventLimit),
    jobs_truncated: jobRows.length > TRACE_MAX_JOBS,
    purged_before: source.purgedBefore(),
  };
}
