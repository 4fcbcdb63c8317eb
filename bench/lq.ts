import { buildHistory, removeHistory } from './core';
import { Store } from '../src-main/store/store';
import { dbOf } from '../src-main/testing/store';
const h = buildHistory(100_000, 0);
const store = Store.open(h.dir);
const db = dbOf(store);
console.log(db.prepare("SELECT * FROM job_search_config").all?.call ? '' : '');
const times: string[] = [];
for (let i = 0; i < 30; i++) {
  store.createJob({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-00000000b1c5', text: `quarterly topic${i} report` } } as any, { capabilityProfileId: 'Analyst' });
  let t = performance.now(); store.freshenSearch(); const f = performance.now() - t;
  t = performance.now(); store.listJobs({ text: 'quarterly', limit: 50 }); const l = performance.now() - t;
  times.push(`${f.toFixed(1)}/${l.toFixed(1)}`);
}
console.log('freshen/list ms:', times.join(' '));
console.log(db.prepare("SELECT count(*) n FROM job_search_data").get());
store.close(); removeHistory(h);
