/**
 * problems.list on a large diagnostics history: the first page (and two filtered first pages)
 * through the router and the real handler, with 100,000 diagnostics grouped into a few thousand
 * problems, and the worst case of 100,000 distinct problems. Target: first page p95 under 10 ms.
 * Called by bench/run.ts; runnable alone:
 *   npx tsx bench/problems.ts [--diagnostics N] [--rounds N]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DIAGNOSTIC_SEVERITIES, type DiagnosticDraft } from '../src-shared/diagnostics';
import { createProblemHandlers } from '../src-main/core/problem-handlers';
import type { ChannelHandlers } from '../src-main/core/types';
import { createRouter } from '../src-main/ipc/router';
import { Store } from '../src-main/store/store';
import { percentile, type BenchRow } from './stats';

export interface BenchProblemsOptions {
  diagnostics?: number;
  /** Timed calls per figure. */
  rounds?: number;
}

const TARGET_P95_MS = 10;
const BATCH = 5_000;

/** Fills a store with `total` diagnostics over `fingerprints` problems, a tenth of them on jobs. */
function fill(store: Store, total: number, fingerprints: number): string[] {
  const jobs = store.createJobs(
    Array.from({ length: 200 }, () => ({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0' })),
    { capabilityProfileId: 'Coder' },
  );
  for (let start = 0; start < total; start += BATCH) {
    store.transaction(() => {
      for (let index = start; index < Math.min(total, start + BATCH); index += 1) {
        const group = index % fingerprints;
        const job = index % 10 === 0 ? jobs[index % jobs.length]! : null;
        const draft: DiagnosticDraft = {
          title: `terminal_exec: failure family ${group}`,
          message: `instance ${index}`,
          severity: DIAGNOSTIC_SEVERITIES[group % DIAGNOSTIC_SEVERITIES.length]!,
          source: group % 3 === 0 ? 'terminal' : 'engine',
          surface: 'system',
          tool: 'terminal_exec',
          code: `code_${group % 17}`,
          job_id: job?.job_id ?? null,
          trace_id: job?.trace_id ?? randomUUID(),
        };
        store.recordDiagnostic(draft);
      }
    });
  }
  return jobs.map((job) => job.job_id);
}

/** A full collection before timing, so the garbage of filling the history is not billed to the reads. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Wall-clock times of each call, and the CPU time this process spent in it: on a loaded machine a
 * wall-clock tail well above the CPU tail is time spent descheduled, not work the query did.
 */
async function timeCalls(call: () => Promise<unknown>, rounds: number): Promise<{ wall: number[]; cpu: number[] }> {
  for (let warm = 0; warm < 20; warm += 1) await call();
  collectGarbage();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await call();
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

async function benchOneHistory(total: number, fingerprints: number, rounds: number, label: string): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hsk-bench-problems-'));
  const store = Store.open(dir, { synchronous: 'NORMAL' });
  try {
    const fillStarted = performance.now();
    const jobIds = fill(store, total, fingerprints);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const router = createRouter(createProblemHandlers(store) as unknown as ChannelHandlers, { logError: () => {} });
    const figures: Array<[string, unknown]> = [
      ['first page (100)', { limit: 100 }],
      ['first page, severity error+fatal', { severity: ['error', 'fatal'], limit: 100 }],
      // Every tenth diagnostic is on a job, round robin over the jobs with an index divisible by 10.
      ['first page, one job', { job_id: jobIds[10], limit: 100 }],
    ];
    const rows: BenchRow[] = [];
    for (const [name, input] of figures) {
      const times = await timeCalls(async () => {
        const envelope = await router.call('problems.list', input);
        if (!envelope.ok) throw new Error(envelope.error.message);
      }, rounds);
      const history = name.startsWith('first page (')
        ? `${total.toLocaleString('en-US')} diagnostics in ${fingerprints.toLocaleString('en-US')} problems, recorded in ${fillSeconds.toFixed(1)} s through recordDiagnostic; `
        : '';
      rows.push({
        group: 'problems',
        name: `problems.list ${name}, ${label}`,
        p50_ms: percentile(times.wall, 50),
        p95_ms: percentile(times.wall, 95),
        n: rounds,
        target: { max_p95: TARGET_P95_MS },
        note: `${history}CPU time p50 ${percentile(times.cpu, 50).toFixed(2)} ms, p95 ${percentile(times.cpu, 95).toFixed(2)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
      });
    }
    return rows;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchProblems(options: BenchProblemsOptions = {}): Promise<BenchRow[]> {
  const total = options.diagnostics ?? 100_000;
  const rounds = options.rounds ?? 200;
  return [
    ...(await benchOneHistory(total, 2_000, rounds, '2,000 problems')),
    ...(await benchOneHistory(total, total, rounds, 'all distinct')),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { diagnostics: { type: 'string' }, rounds: { type: 'string' } } });
  const rows = await benchProblems({ diagnostics: values.diagnostics ? Number(values.diagnostics) : undefined, rounds: values.rounds ? Number(values.rounds) : undefined });
  for (const row of rows) {
    const met = row.p95_ms !== undefined && row.p95_ms <= TARGET_P95_MS;
    console.log(`${row.name}: p50 ${row.p50_ms?.toFixed(2)} ms, p95 ${row.p95_ms?.toFixed(2)} ms (target p95 < ${TARGET_P95_MS} ms) ${met ? 'met' : 'MISSED'}; ${row.note}`);
  }
}
