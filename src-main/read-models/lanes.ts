/**
 * The lanes of the global Timeline: workflow runs (and their nodes) as bars over a wall-clock
 * window, drawn from the Flight Recorder's `workflow_run_started` events. A time window is a seq
 * range (timestamps never decrease along seq), and `fr_events(type, seq)` makes "runs started in
 * this range" an index range, so a window costs the same on a history of a million events as on
 * a small one. Runs whose start event retention removed are not drawn: the view hatches that span.
 *
 * A run that started before the window can still reach into it. Every finished run lasted at
 * most `longestRunMs`, so starts are read from `from - longestRunMs` on; runs still running are
 * added from the partial index on running runs, however long ago they started.
 */
import type Database from 'better-sqlite3';
import type { JobKind, NodeStatus, RunStatus } from '../../src-shared/enums';
import type { LaneSpan, LanesWindow } from '../../src-shared/inspector-views';
import { toRfc3339 } from '../../src-shared/time';
import type { ReadSource } from './source';

interface SpanRow {
  workflow_run_id: string;
  job_id: string;
  attempt: number;
  status: RunStatus;
  created_at: number;
  finished_at: number | null;
  last_heartbeat: number;
  job_kind: JobKind;
  trace_id: string;
}

interface SeqTime {
  seq: number;
  timestamp: number;
}

interface LogBounds {
  first: SeqTime;
  last: SeqTime;
}

interface NodeRow {
  workflow_run_id: string;
  node_id: string;
  status: NodeStatus;
  started_at: number;
  finished_at: number | null;
}

export interface LanesRequest {
  from: number;
  to: number;
  maxSpans: number;
  buckets: number;
  now: number;
}

const RUN_COLUMNS = `r.workflow_run_id, r.job_id, r.attempt, r.status, r.created_at, r.finished_at, r.last_heartbeat,
  j.job_kind, j.trace_id`;

export class LaneQueries {
  private longestRunMs: number | null = null;
  private readonly sql: ReturnType<typeof prepare>;

  constructor(private readonly source: ReadSource) {
    this.sql = prepare(source.db);
    // A run that ends later than any before it widens the look-back; nothing else can.
    source.onChange((change) => {
      if (change.kind !== 'event' || this.longestRunMs === null) return;
      const { type, workflow_run_id: runId } = change.event;
      if ((type === 'workflow_run_finished' || type === 'workflow_recovery') && runId) {
        this.longestRunMs = Math.max(this.longestRunMs, (this.sql.spanOfRun.get(runId) as number | undefined) ?? 0);
      }
    });
  }

  window(request: LanesRequest): LanesWindow {
    const { from, to } = request;
    const fromSeq = this.firstSeqAtOrAfter(from - this.longest());
    const toSeq = this.firstSeqAtOrAfter(to + 1);
    const runCount = this.sql.countStarts.get(fromSeq, toSeq) as number;
    const base = {
      from: toRfc3339(from),
      to: toRfc3339(to),
      run_count: runCount,
      extent: this.extent(),
      purged_before: this.source.purgedBefore(),
    };
    if (runCount > request.maxSpans) {
      return { ...base, mode: 'density', spans: [], density: this.density(request) };
    }
    return { ...base, mode: 'spans', spans: this.spans(fromSeq, toSeq, request), density: null };
  }

  private longest(): number {
    this.longestRunMs ??= this.sql.longestRun.get() as number;
    return this.longestRunMs;
  }

  private extent(): LanesWindow['extent'] {
    const bounds = this.bounds();
    return bounds ? { first: toRfc3339(bounds.first.timestamp), last: toRfc3339(bounds.last.timestamp) } : null;
  }

  private spans(fromSeq: number, toSeq: number, { from, to, now }: LanesRequest): LaneSpan[] {
    const rows = this.sql.startedIn.all(fromSeq, toSeq) as SpanRow[];
    const seen = new Set(rows.map((row) => row.workflow_run_id));
    for (const row of this.sql.running.all(to) as SpanRow[]) if (!seen.has(row.workflow_run_id)) rows.push(row);
    const overlapping = rows.map((row) => ({ row, end: runEnd(row, now) })).filter(({ row, end }) => end >= from && row.created_at <= to);
    const nodes = this.nodesOf(overlapping.map(({ row }) => row.workflow_run_id));
    return overlapping.map(({ row, end }) => this.toSpan(row, end, now, nodes.get(row.workflow_run_id) ?? []));
  }

  /** Node executions of many runs in one query, grouped by run. */
  private nodesOf(runIds: string[]): Map<string, NodeRow[]> {
    const byRun = new Map<string, NodeRow[]>();
    if (runIds.length === 0) return byRun;
    for (const node of this.sql.nodesOfRuns.all(JSON.stringify(runIds)) as NodeRow[]) {
      const list = byRun.get(node.workflow_run_id);
      if (list) list.push(node);
      else byRun.set(node.workflow_run_id, [node]);
    }
    return byRun;
  }

  private toSpan(row: SpanRow, end: number, now: number, nodeRows: NodeRow[]): LaneSpan {
    const nodes = nodeRows.map((node) => ({
      node_id: node.node_id,
      status: node.status,
      start: toRfc3339(node.started_at),
      end: toRfc3339(Math.max(node.started_at, node.finished_at ?? (node.status === 'running' ? now : end))),
    }));
    return {
      workflow_run_id: row.workflow_run_id,
      job_id: row.job_id,
      job_kind: row.job_kind,
      trace_id: row.trace_id,
      attempt: row.attempt,
      status: row.status,
      start: toRfc3339(row.created_at),
      end: toRfc3339(end),
      open: row.status === 'running',
      nodes,
    };
  }

  /** Runs started per bucket: bucket edges become seqs by a search from a guess, counts come from the index alone. */
  private density({ from, to, buckets }: LanesRequest): NonNullable<LanesWindow['density']> {
    const bucketMs = Math.max(1, (to - from) / buckets);
    const bounds = this.bounds();
    const edges: number[] = [];
    for (let index = 0; index <= buckets; index += 1) {
      const ms = index === buckets ? to + 1 : Math.round(from + index * bucketMs);
      edges.push(this.edgeSeq(ms, bounds, edges[index - 1] ?? 0));
    }
    const started = edges.slice(0, -1).map((edge, index) => this.sql.countStarts.get(edge, edges[index + 1]) as number);
    return { bucket_ms: bucketMs, started };
  }

  private bounds(): LogBounds | null {
    const first = this.sql.firstRow.get() as SeqTime | undefined;
    const last = this.sql.lastRow.get() as SeqTime | undefined;
    return first && last ? { first, last } : null;
  }

  /**
   * The smallest seq from which every event is at or after `ms`: a time window is a seq range,
   * since timestamps never decrease along seq. Times outside the log need no lookup; inside it,
   * the search starts where `ms` falls between the first and the last event, and at `low`.
   */
  private edgeSeq(ms: number, bounds: LogBounds | null, low = 0): number {
    if (!bounds) return 0;
    const { first, last } = bounds;
    if (ms <= first.timestamp) return low;
    if (ms > last.timestamp) return last.seq + 1;
    const share = (ms - first.timestamp) / Math.max(1, last.timestamp - first.timestamp);
    const guess = first.seq + Math.floor(share * (last.seq - first.seq));
    return this.seqAtOrAfter(ms, low, last.seq + 1, Math.max(low, guess));
  }

  private firstSeqAtOrAfter(ms: number): number {
    return this.edgeSeq(ms, this.bounds());
  }

  /**
   * The first seq in [low, high] from which every event is at or after `ms`. It starts at `guess`
   * and widens its step until it brackets the answer, then bisects, so a good guess costs a
   * handful of lookups where bisecting the whole log costs twenty.
   */
  private seqAtOrAfter(ms: number, low: number, high: number, guess: number): number {
    let lo = low;
    let hi = high;
    let probe = Math.min(Math.max(guess, lo), hi - 1);
    let step = 8;
    let bracketed = { below: false, above: false };
    while (lo < hi) {
      const row = this.sql.rowAtOrAfter.get(probe) as { seq: number; timestamp: number } | undefined;
      if (!row || row.timestamp >= ms) {
        hi = probe;
        bracketed = { ...bracketed, above: true };
      } else {
        lo = row.seq + 1;
        bracketed = { ...bracketed, below: true };
      }
      step *= 2;
      const widened = bracketed.below && bracketed.above ? Math.floor((lo + hi) / 2) : hi === probe ? probe - step : lo + step;
      probe = Math.min(Math.max(widened, lo), hi - 1);
    }
    return lo;
  }
}

/** A finished run ends when it finished; a stalled one at its last heartbeat; a running one now. */
function runEnd(row: SpanRow, now: number): number {
  if (row.finished_at !== null) return Math.max(row.created_at, row.finished_at);
  return row.status === 'running' ? now : Math.max(row.created_at, row.last_heartbeat);
}

function prepare(db: Database.Database) {
  return {
    longestRun: db
      .prepare("SELECT coalesce(max(coalesce(finished_at, last_heartbeat) - created_at), 0) FROM workflow_runs WHERE status != 'running'")
      .pluck(),
    spanOfRun: db.prepare('SELECT coalesce(finished_at, last_heartbeat) - created_at FROM workflow_runs WHERE workflow_run_id = ?').pluck(),
    // Pinned to the (type, seq) index: told how wide a seq range is, the planner (STAT4) may pick a
    // scan of every row in it instead, which measured a hundred times slower on a million events.
    countStarts: db.prepare("SELECT count(*) FROM fr_events INDEXED BY fr_events_type WHERE type = 'workflow_run_started' AND seq >= ? AND seq < ?").pluck(),
    startedIn: db.prepare(`SELECT ${RUN_COLUMNS} FROM fr_events e INDEXED BY fr_events_type
      JOIN workflow_runs r ON r.workflow_run_id = e.workflow_run_id
      JOIN ai_jobs j ON j.job_id = r.job_id
      WHERE e.type = 'workflow_run_started' AND e.seq >= ? AND e.seq < ? ORDER BY e.seq`),
    running: db.prepare(`SELECT ${RUN_COLUMNS} FROM workflow_runs r JOIN ai_jobs j ON j.job_id = r.job_id
      WHERE r.status = 'running' AND r.created_at <= ?`),
    nodesOfRuns: db.prepare(`SELECT workflow_run_id, node_id, status, started_at, finished_at FROM workflow_node_executions
      WHERE workflow_run_id IN (SELECT value FROM json_each(?)) ORDER BY workflow_run_id, sequence`),
    rowAtOrAfter: db.prepare('SELECT seq, timestamp FROM fr_events WHERE seq >= ? ORDER BY seq LIMIT 1'),
    firstRow: db.prepare('SELECT seq, timestamp FROM fr_events ORDER BY seq ASC LIMIT 1'),
    lastRow: db.prepare('SELECT seq, timestamp FROM fr_events ORDER BY seq DESC LIMIT 1'),
  };
}
