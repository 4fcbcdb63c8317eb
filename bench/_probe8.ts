import { existsSync, mkdirSync } from 'node:fs';
import { Store } from '../src-main/store/store';
import { LaneQueries } from '../src-main/read-models/lanes';
import { readSourceOf } from '../src-main/read-models/source';
import { loadTrace } from '../src-main/read-models/trace';
import { buildEventHistory } from './event-history';
const dir = '/tmp/hist1m';
if (!existsSync(dir)) { mkdirSync(dir); const h = buildEventHistory(dir, 1_000_000); console.log(JSON.stringify(h)); }
const store = Store.open(dir);
const source = readSourceOf(store);
const lanes = new LaneQueries(source);
const first = store.db.prepare('SELECT timestamp FROM fr_events ORDER BY seq LIMIT 1').pluck().get() as number;
const last = store.db.prepare('SELECT timestamp FROM fr_events ORDER BY seq DESC LIMIT 1').pluck().get() as number;
const trace = store.db.prepare('SELECT trace_id FROM ai_jobs ORDER BY rowid DESC LIMIT 1').pluck().get() as string;
const d = last - first; const mid = first + d / 2;
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  let w = lanes.window({ from: first - d / 2, to: last + d / 2, maxSpans: 2000, buckets: 120, now: Date.now() });
  console.log('whole', w.mode, (performance.now() - t).toFixed(1));
  t = performance.now();
  w = lanes.window({ from: mid - 300_000, to: mid + 900_000, maxSpans: 2000, buckets: 120, now: Date.now() });
  console.log('middle', w.mode, w.spans.length, (performance.now() - t).toFixed(1));
  t = performance.now();
  const tr = loadTrace(source, store, trace);
  console.log('trace', tr.events.length, tr.jobs.length, (performance.now() - t).toFixed(1), JSON.stringify(tr).length);
}
