import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store';
import { jobLabels } from './job-labels';
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

function submit(kind: string, traceId?: string) {
  return store.createJob({ job_kind: kind, protocol_id: 'p.v0', ...(traceId ? { trace_id: traceId } : {}) }, { capabilityProfileId: 'Analyst' });
}

describe('loadTrace', () => {
  it('gathers every job of the trace oldest first, their runs with nodes, and the trace\'s events in order', () => {
    const first = submit('doc_edit', TRACE);
    const second = submit('doc_summarize', TRACE);
    submit('doc_edit');
    const { run } = store.startRun(first.job_id);
    store.startNode(run.workflow_run_id, { node_id: 'edit', node_type: 'model', sequence: 0 });
    const trace = loadTrace(store, TRACE);
    expect(trace.jobs.map((job) => job.job_id)).toEqual([first.job_id, second.job_id]);
    expect(trace.runs.map((item) => [item.workflow_run_id, item.nodes.map((node) => node.node_id)])).toEqual([[run.workflow_run_id, ['edit']]]);
    expect(trace.events.map((event) => event.type)).toEqual(['job_created', 'job_created', 'workflow_run_started', 'job_state_changed', 'workflow_node_started']);
    expect(trace.events.every((event) => event.trace_id === TRACE)).toBe(true);
    expect(trace.events_truncated).toBe(false);
  });

  it('stops at the event limit and says the trace was cut', () => {
    for (let i = 0; i < 4; i += 1) submit('doc_edit', TRACE);
    const trace = loadTrace(store, TRACE, 3);
    expect(trace.events).toHaveLength(3);
    expect(trace.events_truncated).toBe(true);
    expect(trace.jobs).toHaveLength(4);
  });

  it('answers an unknown trace with nothing in it rather than an error', () => {
    expect(loadTrace(store, TRACE)).toMatchObject({ jobs: [], runs: [], events: [], jobs_truncated: false });
  });
});

describe('jobLabels', () => {
  it('names the kind and state of each known job once and leaves unknown ids out', () => {
    const job = submit('terminal_exec');
    const labels = jobLabels(store, [job.job_id, job.job_id, TRACE]);
    expect(labels).toEqual([{ job_id: job.job_id, job_kind: 'terminal_exec', state: 'queued', trace_id: job.trace_id }]);
  });
});
