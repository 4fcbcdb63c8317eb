/**
 * Throughput of the browser host under the red-team mix, on a small history and on a large one
 * (issue 14): the figure must not fall as the history grows. The mix is what a busy person and a
 * careless or hostile client send together, in a fixed rotation: valid submissions, a submission
 * refused at parse time (a secret as its kind, so a job_rejected event is written), a malformed
 * request, the jobs list unfiltered, searched for a word in 90% of jobs, a rare word, a prefix and
 * two words, its next page, counts for a state and for a search, a job with its events, and
 * system.status. CLIENTS connections keep one request each in flight against the real core over
 * HTTP on 127.0.0.1. Called by bench/run.ts; runnable alone:
 *   npx tsx bench/mix.ts [--jobs N] [--seconds S]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../src-main/core/open-core';
import { startHttpHost, type HttpHost } from '../src-main/hosts/browser/http-host';
import { buildHistory, COMMON_WORD, removeHistory, WORDS, type History } from './core';
import { postRpc } from './rpc';
import { format, type BenchRow } from './stats';

const CLIENTS = Number(process.env.MIX_CLIENTS ?? 4);
/** The large history's throughput may be at most this much below the small one's (noise). */
const MIN_RATIO = 0.8;

function post(host: HttpHost, agent: Agent, channel: string, input: unknown): Promise<{ status: number; body: string }> {
  return postRpc(host, agent, channel, JSON.stringify(input));
}

/** One step of the rotation: the channel, its input, and the status it must answer. */
interface Step {
  channel: string;
  input: (i: number) => unknown;
  status: number;
}

function rotation(jobIds: string[], cursorOf: () => string | null): Step[] {
  const rare = (i: number) => WORDS[(i * 37) % WORDS.length]!;
  return [
    { channel: 'jobs.create', input: (i) => ({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-00000000b1c5', text: `${COMMON_WORD} ${rare(i)} report` } }), status: 200 },
    { channel: 'jobs.create', input: (i) => ({ job_kind: `sk-proj-${String(i).padStart(8, '0')}abcdefghijklmnopqrstuv`, protocol_id: 'bench.mix' }), status: 400 },
    { channel: 'jobs.list', input: () => ({ limit: 'fifty' }), status: 400 },
    { channel: 'jobs.list', input: () => ({ limit: 50 }), status: 200 },
    { channel: 'jobs.list', input: () => ({ text: COMMON_WORD, limit: 50 }), status: 200 },
    { channel: 'jobs.list', input: (i) => ({ text: rare(i), limit: 50 }), status: 200 },
    { channel: 'jobs.list', input: (i) => ({ text: rare(i).slice(0, 6), limit: 50 }), status: 200 },
    { channel: 'jobs.list', input: (i) => ({ text: `${COMMON_WORD} ${rare(i)}`, limit: 50 }), status: 200 },
    { channel: 'jobs.list', input: () => ({ text: COMMON_WORD, limit: 50, ...(cursorOf() ? { cursor: cursorOf() } : {}) }), status: 200 },
    { channel: 'jobs.list', input: () => ({ state: ['failed'], job_kind: ['doc_edit'], limit: 50 }), status: 200 },
    { channel: 'jobs.count', input: () => ({ state: ['failed'] }), status: 200 },
    { channel: 'jobs.count', input: () => ({ text: COMMON_WORD }), status: 200 },
    { channel: 'jobs.get', input: (i) => ({ job_id: jobIds[i % jobIds.length] }), status: 200 },
    { channel: 'events.list', input: (i) => ({ job_id: jobIds[i % jobIds.length], limit: 100 }), status: 200 },
    { channel: 'system.status', input: () => ({}), status: 200 },
  ];
}

function sampleJobIds(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'handshake.db'), { readonly: true });
  try {
    return db.prepare('SELECT job_id FROM ai_jobs ORDER BY rowid DESC LIMIT 200').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Requests per second the host answers under the mix for `seconds`, and the slowest channel. */
async function throughput(dataDir: string, seconds: number): Promise<{ rps: number; requests: number; slowest: string }> {
  const core = await openCore({ dataDir, host: 'browser', version: 'bench', modelRuntime: 'mock', startEngine: false });
  await core.recoveryDone;
  const rendererDir = mkdtempSync(join(tmpdir(), 'hsk-bench-mix-renderer-'));
  const host = await startHttpHost({ core, rendererDir, port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const jobIds = sampleJobIds(dataDir);
    let cursor: string | null = null;
    const first = await post(host, agent, 'jobs.list', { text: COMMON_WORD, limit: 50 });
    cursor = (JSON.parse(first.body) as { data: { next_cursor: string | null } }).data.next_cursor;
    const steps = rotation(jobIds, () => cursor);
    const spent = new Map<string, { ms: number; n: number }>();
    // Warm-up: one full rotation per client, untimed.
    for (let i = 0; i < steps.length; i += 1) await post(host, agent, steps[i]!.channel, steps[i]!.input(i));
    let requests = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = client; performance.now() < until; i += CLIENTS) {
          const step = steps[i % steps.length]!;
          const t0 = performance.now();
          const answer = await post(host, agent, step.channel, step.input(i));
          const key = `${step.channel} ${JSON.stringify(step.input(0)).slice(0, 40)}`;
          const entry = spent.get(key) ?? { ms: 0, n: 0 };
          entry.ms += performance.now() - t0;
          entry.n += 1;
          spent.set(key, entry);
          if (answer.status !== step.status) throw new Error(`${step.channel} answered ${answer.status}, expected ${step.status}: ${answer.body.slice(0, 200)}`);
          requests += 1;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const ranked = [...spent].sort((a, b) => b[1].ms / b[1].n - a[1].ms / a[1].n);
    if (process.env.MIX_STEPS) for (const [key, { ms, n }] of ranked) console.error(`  ${format(ms / n)} ms  ${key}`);
    const [slowestKey, slowest] = ranked[0]!;
    return { rps: requests / elapsed, requests, slowest: `${slowestKey} (mean ${format(slowest.ms / slowest.n)} ms)` };
  } finally {
    agent.destroy();
    await host.close();
    await core.close('bench');
    rmSync(rendererDir, { recursive: true, force: true });
  }
}

/** The mix on a 10,000-job history and on `large`; the ratio large / small must stay >= MIN_RATIO. */
export async function benchMix(opts: { large: History; seconds: number }): Promise<BenchRow[]> {
  const small = buildHistory(10_000, 0);
  try {
    const smallRun = await throughput(small.dir, opts.seconds);
    const largeRun = await throughput(opts.large.dir, opts.seconds);
    const label = (jobs: number) => jobs.toLocaleString('en-US');
    return [
      {
        group: 'mix',
        name: `red-team mix: requests/s at ${label(opts.large.jobs)} jobs`,
        value: Math.round(largeRun.rps),
        unit: 'req/s',
        ratio: largeRun.rps / smallRun.rps,
        compare: `${format(smallRun.rps)} req/s at ${label(small.jobs)} jobs in the same run`,
        n: largeRun.requests,
        note: `${CLIENTS} keep-alive clients, ${opts.seconds} s each; ratio = large / small history, target >= ${MIN_RATIO} (must not fall; the rest is noise); slowest step: ${largeRun.slowest}`,
        target: { min_ratio: MIN_RATIO },
      },
    ];
  } finally {
    removeHistory(small);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { jobs: { type: 'string' }, seconds: { type: 'string' } } });
  const large = buildHistory(Number(values.jobs ?? 1_000_000), 0);
  try {
    const rows = await benchMix({ large, seconds: Number(values.seconds ?? 5) });
    for (const row of rows) console.log(`${row.name}: ${row.value} ${row.unit} (${row.compare}; ratio ${format(row.ratio)}) — ${row.note}`);
  } finally {
    removeHistory(large);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
