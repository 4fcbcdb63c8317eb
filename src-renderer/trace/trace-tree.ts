/**
 * One trace as a tree (jobs > runs > node executions > events) with the times the waterfall needs:
 * each job's and run's queue time apart from its run time, as in the per-job waterfall. Events go
 * under the node they name, else their run, else their job, else the trace itself.
 */
import type { FlightEvent } from '../../src-shared/events';
import type { Trace, TraceJob, TraceNode, TraceRun } from '../../src-shared/inspector-views';

export type TreeKind = 'job' | 'run' | 'node' | 'event';

export interface TreeNode {
  id: string;
  kind: TreeKind;
  /** Waiting before it started (jobs and runs): from `queuedFrom` to `start`. */
  queuedFrom: number | null;
  start: number;
  end: number | null;
  status: string;
  children: TreeNode[];
  job?: TraceJob;
  run?: TraceRun;
  node?: TraceNode;
  event?: FlightEvent;
}

export interface TraceTree {
  roots: TreeNode[];
  axis: { start: number; end: number };
  counts: { jobs: number; runs: number; nodes: number; events: number };
}

function ms(value: string | null): number | null {
  return value === null ? null : Date.parse(value);
}

function runEnd(run: TraceRun, now: number): number {
  const start = Date.parse(run.created_at);
  if (run.finished_at) return Math.max(start, Date.parse(run.finished_at));
  return run.status === 'running' ? now : Math.max(start, Date.parse(run.last_heartbeat));
}

function eventNode(event: FlightEvent): TreeNode {
  const at = Date.parse(event.timestamp);
  return { id: event.event_id, kind: 'event', queuedFrom: null, start: at, end: null, status: event.type, children: [], event };
}

/** Which node execution an event is about: node events carry its id in their payload. */
function nodeExecutionOf(event: FlightEvent): string | null {
  const id = event.payload.node_execution_id;
  return typeof id === 'string' ? id : null;
}

function groupEvents(events: readonly FlightEvent[]) {
  const byNode = new Map<string, TreeNode[]>();
  const byRun = new Map<string, TreeNode[]>();
  const byJob = new Map<string, TreeNode[]>();
  const loose: TreeNode[] = [];
  const add = (map: Map<string, TreeNode[]>, key: string, node: TreeNode) => map.set(key, [...(map.get(key) ?? []), node]);
  for (const event of events) {
    const node = eventNode(event);
    const execution = nodeExecutionOf(event);
    if (execution) add(byNode, execution, node);
    else if (event.workflow_run_id) add(byRun, event.workflow_run_id, node);
    else if (event.job_id) add(byJob, event.job_id, node);
    else loose.push(node);
  }
  return { byNode, byRun, byJob, loose };
}

export function buildTraceTree(trace: Trace, now: number): TraceTree {
  const events = groupEvents(trace.events);
  const runsOfJob = new Map<string, TraceRun[]>();
  for (const run of trace.runs) runsOfJob.set(run.job_id, [...(runsOfJob.get(run.job_id) ?? []), run]);
  let nodeCount = 0;

  const jobNodes = trace.jobs.map((job): TreeNode => {
    const runs = [...(runsOfJob.get(job.job_id) ?? [])].sort((a, b) => a.attempt - b.attempt);
    const created = Date.parse(job.created_at);
    let previousEnd = created;
    const runNodes = runs.map((run): TreeNode => {
      const start = Date.parse(run.created_at);
      const end = runEnd(run, now);
      const queuedFrom = Math.min(previousEnd, start);
      previousEnd = end;
      nodeCount += run.nodes.length;
      const nodes = [...run.nodes].sort((a, b) => a.sequence - b.sequence).map((node): TreeNode => {
        const nodeStart = Date.parse(node.started_at);
        return {
          id: node.node_execution_id,
          kind: 'node',
          queuedFrom: null,
          start: nodeStart,
          end: ms(node.finished_at) ?? (node.status === 'running' ? now : end),
          status: node.status,
          children: events.byNode.get(node.node_execution_id) ?? [],
          node,
        };
      });
      return { id: run.workflow_run_id, kind: 'run', queuedFrom, start, end, status: run.status, children: [...nodes, ...(events.byRun.get(run.workflow_run_id) ?? [])].sort(byStart), run };
    });
    const firstStart = runNodes[0]?.start ?? null;
    const end = runNodes.length > 0 ? Math.max(...runNodes.map((run) => run.end ?? run.start)) : ms(job.completed_at);
    return {
      id: job.job_id,
      kind: 'job',
      queuedFrom: created,
      start: firstStart ?? created,
      end: firstStart === null && end === null ? null : Math.max(end ?? created, created),
      status: job.state,
      children: [...runNodes, ...(events.byJob.get(job.job_id) ?? [])].sort(byStart),
      job,
    };
  });

  const roots = [...jobNodes, ...events.loose].sort(byStart);
  const times = [...roots.map((root) => root.queuedFrom ?? root.start), ...trace.events.map((event) => Date.parse(event.timestamp))];
  const ends = [...roots.map((root) => root.end ?? root.start), ...times];
  const start = times.length > 0 ? Math.min(...times) : now;
  return {
    roots,
    axis: { start, end: Math.max(start + 1, ...ends) },
    counts: { jobs: trace.jobs.length, runs: trace.runs.length, nodes: nodeCount, events: trace.events.length },
  };
}

/** Jobs are ordered by when they were created, everything else by when it started. */
function sortTime(node: TreeNode): number {
  return node.kind === 'job' ? (node.queuedFrom ?? node.start) : node.start;
}

function byStart(a: TreeNode, b: TreeNode): number {
  return sortTime(a) - sortTime(b) || kindOrder(a) - kindOrder(b);
}

function kindOrder(node: TreeNode): number {
  return node.kind === 'event' ? 1 : 0;
}

export interface TreeRow {
  node: TreeNode;
  depth: number;
  expanded: boolean;
  hasChildren: boolean;
  parentId: string | null;
}

/** The rows on screen: depth-first, skipping the children of collapsed nodes (and events, when hidden). */
export function visibleRows(roots: readonly TreeNode[], collapsed: ReadonlySet<string>, hideEvents = false): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number, parentId: string | null) => {
    for (const node of nodes) {
      if (hideEvents && node.kind === 'event') continue;
      const children = hideEvents ? node.children.filter((child) => child.kind !== 'event') : node.children;
      const expanded = children.length > 0 && !collapsed.has(node.id);
      rows.push({ node, depth, expanded, parentId, hasChildren: children.length > 0 });
      if (expanded) walk(children, depth + 1, node.id);
    }
  };
  walk(roots, 0, null);
  return rows;
}
