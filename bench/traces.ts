/**
 * Large traces: one trace of 1,000,000 events (events.list first page and a time-window page,
 * p95 < 10 ms) and one job with 100,000 events (jobs.get plus the inspector's other calls, p95
 * < 50 ms). The events are written with raw SQL in large transactions, one millisecond apart.
 */
import fs from 'node:fs';
import { Store } from '../src-main/store/store';
import { dbOf } from '../src-main/testing/store';
import { tempDir, time } from './peers';
import { sizeRows } from './size';
import { percentile, type BenchRow } from './stats';

const SAMPLES = 200;
const INSPECTOR_EVENT_LIMIT = 500;

/** Appends `n` capability_action events of one job and trace, one millisecond apart from `start`. */
function appendEvents(store: Store, job: { job_id: string; trace_id: string }, n: number, start: number): void {
  const db = dbOf(store);
  const insert = db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, job_id, capability_id, payload)
    VALUES (lower(hex(randomblob(4))) || '-0000-7000-8000-' || lower(hex(randomblob(6))), 'capability_action', ?, 'agent', 'workflow_engine', ?, ?, 'doc.read', ?)`);
  const payload = JSON.stringify({ capability_id: 'doc.read', actor_id: 'workflow_engine', job_id: job.job_id, decision_outcome: 'allow' });
  const chunk = 100_000;
  for (let from = 0; from < n; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(n, from + chunk); i += 1) insert.run(start + i, job.trace_id, job.job_id, payload);
    })();
  }
}

function latencyRow(name: string, times: number[], targetP95: number, note: string): BenchRow {
  return { group: 'traces', name, p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), n: times.length, note, target: { max_p95: targetP95 } };
}

function samples(work: (i: number) => void): number[] {
  return Array.from({ length: SAMPLES }, (_, i) => time(() => work(i)));
}

export function benchTraces(options: { traceEvents: number; jobEvents: number }): BenchRow[] {
  const dir = tempDir('traces');
  const store = Store.open(dir, { synchronous: 'NORMAL' });
  try {
    const [big, inspected] = store.createJobs(
      [
        { job_kind: 'doc_summarize', protocol_id: 'bench.trace.v1' },
        { job_kind: 'doc_summarize', protocol_id: 'bench.trace.v1' },
      ],
      { capabilityProfileId: 'Analyst' },
    );
    const start = Date.now() + 1_000;
    console.error(`writing a ${options.traceEvents.toLocaleString('en-US')}-event trace and a ${options.jobEvents.toLocaleString('en-US')}-event job...`);
    appendEvents(store, big!, options.traceEvents, start);
    appendEvents(store, inspected!, options.jobEvents, start + options.traceEvents);
    dbOf(store).exec('ANALYZE');
    const trace = big!.trace_id;
    const first = samples(() => store.listEvents({ trace_id: trace, limit: 100 }));
    const windows = samples((i) => {
      const from = start + ((i * 4_999) % (options.traceEvents - 1_000));
      store.listEvents({ trace_id: trace, from, to: from + 999, order: 'asc', limit: 100 });
    });
    const inspector = samples(() => {
      store.getJob(inspected!.job_id);
      store.listRuns(inspected!.job_id);
      store.listEvents({ job_id: inspected!.job_id, order: 'asc', limit: INSPECTOR_EVENT_LIMIT });
    });
    store.close();
    const size = sizeRows(dir, `${(options.traceEvents + options.jobEvents).toLocaleString('en-US')} capability_action events`);
    return [
      ...size,
      latencyRow(`events.list first page of a ${options.traceEvents.toLocaleString('en-US')}-event trace`, first, 10, '100 events, newest first'),
      latencyRow(`events.list time-window page of a ${options.traceEvents.toLocaleString('en-US')}-event trace`, windows, 10, 'a 1-second window anywhere in the trace, 100 events'),
      latencyRow(`inspector calls for a job with ${options.jobEvents.toLocaleString('en-US')} events`, inspector, 50, `jobs.get + runs.list + events.list (job, oldest first, ${INSPECTOR_EVENT_LIMIT}) as the inspector makes them`),
    ];
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
