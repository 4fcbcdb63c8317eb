import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src-shared/inspector-views';
import { makeEvent, makeJob } from '../test/fixtures';
import { buildTraceTree, visibleRows } from './trace-tree';

const TRACE = '018f0000-0000-7000-8000-0000000000aa';
const RUN_1 = '018f0000-0000-7000-8000-000000000101';
const RUN_2 = '018f0000-0000-7000-8000-000000000102';
const NODE = '018f0000-0000-7000-8000-000000000201';
const at = (s: number) => new Date(Date.parse('2026-02-01T10:00:00.000Z') + s * 1000).toISOString();

function trace(): Trace {
  const { job_id, workflow_run_id, job_kind, status_reason, error_message, protocol_id, completed_at } = makeJob();
  const job = { job_id, trace_id: TRACE, workflow_run_id, job_kind, state: 'completed' as const, status_reason, error_message, protocol_id, created_at: at(0), updated_at: at(30), completed_at };
  const run = (id: string, attempt: number, start: number, end: number) => ({
    workflow_run_id: id, job_id: job.job_id, status: 'completed' as const, attempt, last_heartbeat: at(end), created_at: at(start), finished_at: at(end), status_reason: 'completed', nodes: [],
  });
  const first = { ...run(RUN_1, 1, 5, 10), status: 'stalled' as const, finished_at: null };
  const second = {
    ...run(RUN_2, 2, 20, 30),
    nodes: [{ node_execution_id: NODE, workflow_run_id: RUN_2, node_id: 'summarise', node_type: 'model', sequence: 0, status: 'completed' as const, status_reason: 'ok', error_message: null, started_at: at(21), finished_at: at(29) }],
  };
  const events = [
    makeEvent({ trace_id: TRACE, job_id: job.job_id, type: 'job_created', timestamp: at(0) }),
    makeEvent({ trace_id: TRACE, job_id: job.job_id, workflow_run_id: RUN_2, type: 'workflow_run_started', timestamp: at(20) }),
    makeEvent({ trace_id: TRACE, job_id: job.job_id, workflow_run_id: RUN_2, type: 'workflow_node_started', timestamp: at(21), payload: { node_execution_id: NODE } }),
    makeEvent({ trace_id: TRACE, job_id: null, type: 'app_started', timestamp: at(40) }),
  ];
  return { trace_id: TRACE, jobs: [job], runs: [first, second], events, events_next_cursor: null, jobs_truncated: false, purged_before: null };
}

describe('buildTraceTree', () => {
  it('nests runs under their job, nodes under their run, and each event under what it is about', () => {
    const tree = buildTraceTree(trace(), Date.parse(at(100)));
    const rows = visibleRows(tree.roots, new Set());
    expect(rows.map((row) => `${'  '.repeat(row.depth)}${row.node.kind}:${row.node.event?.type ?? row.node.status}`)).toEqual([
      'job:completed',
      '  event:job_created',
      '  run:stalled',
      '  run:completed',
      '    event:workflow_run_started',
      '    node:completed',
      '      event:workflow_node_started',
      'event:app_started',
    ]);
    expect(tree.counts).toEqual({ jobs: 1, runs: 2, nodes: 1, events: 4 });
  });

  it('measures a resumed attempt\'s queue time from the previous attempt\'s end, and ends a stalled run at its heartbeat', () => {
    const tree = buildTraceTree(trace(), Date.parse(at(100)));
    const [first, second] = tree.roots[0]!.children.filter((node) => node.kind === 'run');
    expect([first!.queuedFrom, first!.start, first!.end].map((t) => new Date(t!).toISOString())).toEqual([at(0), at(5), at(10)]);
    expect([second!.queuedFrom, second!.start].map((t) => new Date(t!).toISOString())).toEqual([at(10), at(20)]);
    expect(new Date(tree.axis.end).toISOString()).toBe(at(40));
  });

  it('hides a collapsed node\'s children, or every event, on request', () => {
    const tree = buildTraceTree(trace(), Date.parse(at(100)));
    const jobId = tree.roots[0]!.id;
    expect(visibleRows(tree.roots, new Set([jobId])).map((row) => row.node.kind)).toEqual(['job', 'event']);
    expect(visibleRows(tree.roots, new Set(), true).map((row) => row.node.kind)).toEqual(['job', 'run', 'run', 'node']);
  });
});
