import type { JobKind } from '../../src-shared/enums';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store';
import { LaneQueries } from './lanes';
import { readSourceOf } from './source';

const T0 = 1_700_000_000_000;
let dataDir: string;
let store: Store;
let now = T0;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-lanes-'));
  now = T0;
  store = Store.open(dataDir, { synchronous: 'NORMAL', now: () => now });
});
afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function at(ms: number): void {
  now = T0 + ms;
}

function startJob(ms: number, kind: JobKind = 'doc_summarize') {
  at(ms);
  const job = store.createJob({ job_kind: kind, protocol_id: 'hsk.docs.summarize.v0' }, { capabilityProfileId: 'Analyst' });
  return store.startRun(job.job_id).run;
}

function finish(runId: string, ms: number): void {
  at(ms);
  store.finishRun(runId, { status: 'completed', reason: 'completed', cause: 'engine' });
}

/** A window in ms after T0; `answeredAt` is "now" for running runs. */
function request(from: number, to: number, { maxSpans = 100, buckets = 10, answeredAt = 1_000_000 } = {}) {
  return { from: T0 + from, to: T0 + to, maxSpans, buckets, now: T0 + answeredAt };
}

/** A ten-minute run, five two-second runs beside it, and one run still running. */
function history() {
  const long = startJob(1_000);
  const short = [0, 1, 2, 3, 4].map((i) => {
    const run = startJob(60_000 + i * 10_000, 'doc_edit');
    finish(run.workflow_run_id, 62_000 + i * 10_000);
    return run;
  });
  finish(long.workflow_run_id, 600_000);
  const running = startJob(700_000, 'terminal_exec');
  return { long, short, running };
}

describe('LaneQueries.window', () => {
  it('draws a run that started long before the window and lasts through it', () => {
    const { long } = history();
    const window = new LaneQueries(readSourceOf(store)).window(request(300_000, 400_000));
    expect(window.mode).toBe('spans');
    expect(window.spans.map((span) => span.workflow_run_id)).toEqual([long.workflow_run_id]);
    expect(window.spans[0]).toMatchObject({ start: new Date(T0 + 1_000).toISOString(), end: new Date(T0 + 600_000).toISOString(), open: false, status: 'completed' });
  });

  it('returns every run overlapping the window with its job kind, and none outside it', () => {
    const { long, short } = history();
    const window = new LaneQueries(readSourceOf(store)).window(request(55_000, 75_000));
    const ids = window.spans.map((span) => span.workflow_run_id).sort();
    expect(ids).toEqual([long.workflow_run_id, short[0]!.workflow_run_id, short[1]!.workflow_run_id].sort());
    expect(window.spans.find((span) => span.workflow_run_id === short[1]!.workflow_run_id)?.job_kind).toBe('doc_edit');
  });

  it('ends a running run at the time of the answer and marks it open', () => {
    const { running } = history();
    const window = new LaneQueries(readSourceOf(store)).window(request(800_000, 900_000, { answeredAt: 850_000 }));
    expect(window.spans).toHaveLength(1);
    expect(window.spans[0]).toMatchObject({ workflow_run_id: running.workflow_run_id, open: true, end: new Date(T0 + 850_000).toISOString() });
  });

  it('answers with runs started per bucket when more runs overlap than it may draw', () => {
    history();
    const window = new LaneQueries(readSourceOf(store)).window(request(0, 800_000, { maxSpans: 2, buckets: 4 }));
    expect(window.mode).toBe('density');
    expect(window.spans).toEqual([]);
    expect(window.density).toEqual({ bucket_ms: 200_000, started: [6, 0, 0, 1] });
    expect(window.run_count).toBe(7);
    expect(window.extent?.first).toBe(new Date(T0 + 1_000).toISOString());
  });

  it('counts runs per bucket exactly, however unevenly they arrive', () => {
    const starts: number[] = [];
    let ms = 1_000;
    for (let i = 0; i < 120; i += 1) {
      ms += i % 17 === 0 ? 50_000 : (i * 7919) % 3_000;
      const run = startJob(ms);
      starts.push(now);
      finish(run.workflow_run_id, ms + 10);
    }
    const buckets = 37;
    const window = new LaneQueries(readSourceOf(store)).window(request(0, ms + 1_000, { maxSpans: 1, buckets }));
    const bucketMs = (ms + 1_000) / buckets;
    const expected = Array.from({ length: buckets }, (_, index) =>
      starts.filter((start) => start >= T0 + Math.round(index * bucketMs) && (index === buckets - 1 || start < T0 + Math.round((index + 1) * bucketMs))).length,
    );
    expect(window.density?.started).toEqual(expected);
  });

  it('widens its look-back when a run longer than any before it finishes', () => {
    const long = startJob(1_000);
    const quick = startJob(2_000);
    finish(quick.workflow_run_id, 3_000);
    const lanes = new LaneQueries(readSourceOf(store));
    expect(lanes.window(request(300_000, 400_000)).spans.map((span) => span.open)).toEqual([true]);
    finish(long.workflow_run_id, 600_000);
    const after = lanes.window(request(300_000, 400_000));
    expect(after.spans.map((span) => [span.workflow_run_id, span.open])).toEqual([[long.workflow_run_id, false]]);
  });

  it('carries each run\'s node executions as sub-bars', () => {
    const run = startJob(1_000);
    at(1_500);
    const node = store.startNode(run.workflow_run_id, { node_id: 'summarise', node_type: 'model', sequence: 0 });
    at(4_000);
    store.finishNode(node.node_execution_id, { status: 'completed', reason: 'completed' });
    finish(run.workflow_run_id, 5_000);
    const [span] = new LaneQueries(readSourceOf(store)).window(request(0, 10_000)).spans;
    expect(span?.nodes).toEqual([{ node_id: 'summarise', status: 'completed', start: new Date(T0 + 1_500).toISOString(), end: new Date(T0 + 4_000).toISOString() }]);
  });
});
