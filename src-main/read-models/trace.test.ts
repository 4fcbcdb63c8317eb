import type { JobKind } from '../../src-shared/enums';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store';
import { jobLabels } from './job-labels';
import { readSourceOf } from './source';
import { loadTrace } from './trace';

const TRACE = '018f0000-0000-7000-8000-000000000001';
let dataDir: string;
let store: Store;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-trace-'));
  store = Store.open(dataDir, { synchronous: 'NORMAL' });
});
afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function submit(kind: JobKind, traceId?: string) {
  return store.createJob({ job_kind: kind, protocol_id: 'p.v0', ...(traceId ? { trace_id: traceId } : {}) }, { capabilityProfileId: 'Analyst' });
}

describe('loadTrace', () => {
  it('gathers every job of the trace oldest first, their runs with nodes, and the trace\'s events in order', () => {
    const first = submit('doc_edit', TRACE);
    const second = submit('doc_summarize', TRACE);
    submit('doc_edit');
    const { run } = store.startRun(first.job_id);
    store.startNode(run.workflow_run_id, { node_id: 'edit', node_type: 'model', sequence: 0 });
    const trace = loadTrace(readSourceOf(store), store, TRACE);
    expect(trace.jobs.map((job) => job.job_id)).toEqual([first.job_id, second.job_id]);
    expect(trace.runs.map((item) => [item.workflow_run_id, item.nodes.map((node) => node.node_id)])).toEqual([[run.workflow_run_id, ['edit']]]);
    expect(trace.events.map((event) => event.type)).toEqual(['job_created', 'job_created', 'workflow_run_started', 'job_state_changed', 'workflow_node_started']);
    expect(trace.events.every((event) => event.trace_id === TRACE)).toBe(true);
    expect(trace.events_next_cursor).toBeNull();
  });

  it('answers with the first events and an events.list cursor that reads on from there', () => {
    for (let i = 0; i < 4; i += 1) submit('doc_edit', TRACE);
    const trace = loadTrace(readSourceOf(store), store, TRACE, 3);
    expect(trace.events).toHaveLength(3);
    expect(trace.jobs).toHaveLength(4);
    const rest = store.listEvents({ trace_id: TRACE, order: 'asc', cursor: trace.events_next_cursor!, limit: 10 });
    expect(rest.items).toHaveLength(1);
    expect(rest.items[0]!.seq).toBeGreaterThan(trace.events[2]!.seq);
  });

  it('leaves payloads out of jobs and node executions', () => {
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p.v0', trace_id: TRACE, job_inputs: { secret_plan: 'x' } }, { capabilityProfileId: 'Analyst' });
    const { run } = store.startRun(job.job_id);
    store.startNode(run.workflow_run_id, { node_id: 'edit', node_type: 'model', sequence: 0, input_payload: { text: 'big' } });
    const trace = loadTrace(readSourceOf(store), store, TRACE);
    expect(trace.jobs[0]).not.toHaveProperty('job_inputs');
    expect(trace.runs[0]!.nodes[0]).not.toHaveProperty('input_payload');
    expect(trace.runs[0]!.nodes[0]).toMatchObject({ node_id: 'edit', status: 'running' });
  });

  it('answers an unknown trace with nothing in it rather than an error', () => {
    expect(loadTrace(readSourceOf(store), store, TRACE)).toMatchObject({ jobs: [], runs: [], events: [], events_next_cursor: null, jobs_truncated: false });
  });
});

describe('jobLabels', () => {
  it('names the kind and state of each known job once and leaves unknown ids out', () => {
    const job = submit('terminal_exec');
    const labels = jobLabels(readSourceOf(store), [job.job_id, job.job_id, TRACE]);
    expect(labels).toEqual([{ job_id: job.job_id, job_kind: 'terminal_exec', state: 'queued', trace_id: job.trace_id }]);
  });
});
