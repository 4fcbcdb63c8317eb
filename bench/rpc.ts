/**
 * IPC round trip through the real browser host over HTTP: a trivial channel (system.status), the
 * first page of jobs.list and jobs.count for the list's usual filters, each request on a keep-alive
 * connection to 127.0.0.1, answered by the real core. Called by bench/run.ts; runnable alone:
 *   npx tsx bench/rpc.ts [--data-dir DIR] [--iterations N]
 * Without --data-dir it uses a fresh temporary data dir with a few hundred jobs.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../src-main/core/open-core';
import { startHttpHost, type HttpHost } from '../src-main/hosts/browser/http-host';
import { countSql } from '../src-main/jobs/counts';
import type { JobFilter } from '../src-main/store/job-filter';
import { meetsTarget, percentile, type BenchRow } from './stats';

export interface BenchRpcOptions {
  /** A data dir to open (e.g. the 1,000,000-job history); a temporary one when absent. */
  dataDir?: string;
  /** Timed calls of the trivial channel; jobs.list gets a tenth of it (at least 50). */
  iterations?: number;
}

const FIRST_PAGE = { limit: 50 };
const SEED_JOBS = 300;
/** Timed calls per jobs.count filter (each one counts the whole history). */
const COUNT_CALLS = 30;
const COUNTS_TARGET_P95_MS = 50;

/** The filters a person sets in the jobs list, each counted in total and per state (jobs.count). */
function countFilters(): Array<{ label: string; input: Record<string, unknown> }> {
  return [
    { label: 'no filter', input: {} },
    { label: 'one state', input: { state: ['failed'] } },
    { label: 'created in the last day', input: { created_from: new Date(Date.now() - 86_400_000).toISOString() } },
    { label: 'one kind', input: { job_kind: ['doc_edit'] } },
    { label: 'one-word text', input: { text: 'topic2f' } },
    { label: 'a word in 90% of jobs (lower bounds past 1,000 matches)', input: { text: 'quarterly' } },
  ];
}

/** One call of a channel over HTTP with the host's token: its status and body, whatever the status. */
export function postRpc(host: HttpHost, agent: Agent, channel: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: `/api/rpc/${channel}`,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${host.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function post(host: HttpHost, agent: Agent, channel: string, body: string): Promise<string> {
  const answer = await postRpc(host, agent, channel, body);
  if (answer.status !== 200) throw new Error(`${channel} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return answer.body;
}

async function timeCalls(host: HttpHost, agent: Agent, channel: string, input: unknown, n: number): Promise<number[]> {
  const body = JSON.stringify(input);
  for (let warmup = 0; warmup < Math.min(200, n); warmup += 1) await post(host, agent, channel, body);
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = process.hrtime.bigint();
    await post(host, agent, channel, body);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

/** The SQL jobs.count runs, timed on its own connection: what the query costs without the host. */
function rawCountTimes(dataDir: string, input: Record<string, unknown>, n: number): number[] {
  const db = new Database(join(dataDir, 'handshake.db'), { readonly: true });
  try {
    const from = typeof input.created_from === 'string' ? Date.parse(input.created_from) : undefined;
    const { sql, params } = countSql({ ...input, created_from: from } as JobFilter);
    const statement = db.prepare(sql);
    statement.all(params);
    return Array.from({ length: n }, () => {
      const started = process.hrtime.bigint();
      statement.all(params);
      return Number(process.hrtime.bigint() - started) / 1e6;
    });
  } finally {
    db.close();
  }
}

function storedJobs(dataDir: string): number {
  const db = new Database(join(dataDir, 'handshake.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM ai_jobs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function benchRpc(opts: BenchRpcOptions = {}): Promise<BenchRow[]> {
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hsk-bench-rpc-'));
  const emptyRendererDir = mkdtempSync(join(tmpdir(), 'hsk-bench-renderer-'));
  mkdirSync(emptyRendererDir, { recursive: true });
  const core = await openCore({ dataDir, host: 'browser', version: 'bench', modelRuntime: 'mock', startEngine: false });
  await core.recoveryDone;
  const host = await startHttpHost({ core, rendererDir: emptyRendererDir, port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    if (ownsDataDir) {
      for (let i = 0; i < SEED_JOBS; i += 1) {
        await post(host, agent, 'jobs.create', JSON.stringify({ job_kind: 'doc_summarize', protocol_id: 'bench.rpc' }));
      }
    }
    const jobs = storedJobs(dataDir);
    const iterations = opts.iterations ?? 2_000;
    const trivial = await timeCalls(host, agent, 'system.status', {}, iterations);
    const listN = Math.max(50, Math.round(iterations / 10));
    const list = await timeCalls(host, agent, 'jobs.list', FIRST_PAGE, listN);
    const transport = 'HTTP keep-alive to 127.0.0.1, real core, client and host in one process';
    const trivialP50 = percentile(trivial, 50);
    const overHttp = [];
    for (const filter of countFilters()) overHttp.push({ ...filter, samples: await timeCalls(host, agent, 'jobs.count', filter.input, COUNT_CALLS) });
    // Raw timings block this process: taken after the HTTP calls, so no idle keep-alive socket is
    // closed by the host under a request.
    const counts: BenchRow[] = [];
    for (const { label, input, samples } of overHttp) {
      const raw = rawCountTimes(dataDir, input, COUNT_CALLS);
      counts.push({
        group: 'rpc',
        name: `jobs.count, ${label} (${jobs.toLocaleString('en-US')} jobs)`,
        p50_ms: percentile(samples, 50),
        p95_ms: percentile(samples, 95),
        raw_p50_ms: percentile(raw, 50),
        raw_p95_ms: percentile(raw, 95),
        ratio: percentile(samples, 50) / percentile(raw, 50),
        n: samples.length,
        note: `total and per-state counts over HTTP; raw = the same SQL in-process on a read-only connection; target p95 < ${COUNTS_TARGET_P95_MS} ms`,
        target: { max_p95: COUNTS_TARGET_P95_MS },
      });
    }
    return [
      {
        group: 'rpc',
        name: 'round trip system.status (browser host)',
        value: trivialP50,
        unit: 'ms p50',
        p50_ms: trivialP50,
        p95_ms: percentile(trivial, 95),
        n: trivial.length,
        note: transport,
        target: { max: 2 },
      },
      {
        group: 'rpc',
        name: `round trip jobs.list first page of ${FIRST_PAGE.limit} (browser host)`,
        p50_ms: percentile(list, 50),
        p95_ms: percentile(list, 95),
        n: list.length,
        note: `${transport}; ${jobs.toLocaleString('en-US')} jobs in the data dir`,
      },
      ...counts,
    ];
  } finally {
    agent.destroy();
    await host.close();
    await core.close('bench');
    rmSync(emptyRendererDir, { recursive: true, force: true });
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, iterations: { type: 'string' } } });
  const rows = await benchRpc({
    dataDir: values['data-dir'],
    iterations: values.iterations === undefined ? undefined : Number(values.iterations),
  });
  for (const row of rows) {
    const raw = row.raw_p50_ms === undefined ? '' : ` (raw SQL p50 ${row.raw_p50_ms.toFixed(3)} ms, p95 ${row.raw_p95_ms?.toFixed(3)} ms)`;
    const verdict = meetsTarget(row) === false ? ' MISSED' : '';
    console.log(`${row.name}: p50 ${row.p50_ms?.toFixed(3)} ms, p95 ${row.p95_ms?.toFixed(3)} ms${raw} (n=${row.n})${verdict} — ${row.note}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
