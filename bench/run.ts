/**
 * npm run bench [-- --jobs N] [--quick] [--only core,start,engine,rpc,mix,traces,ui,problems]
 * Runs the benchmarks, prints a table, and writes bench/results/latest.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCore, buildHistory, removeHistory, type History } from './core';
import { benchEngine } from './engine';
import { benchMix } from './mix';
import { benchRpc } from './rpc';
import { benchInspectorViewsOnNewHistory, benchUi } from './ui';
import { benchProblems } from './problems';
import { sizeRows } from './size';
import { benchStart } from './start';
import { benchTraces } from './traces';
import { format, meetsTarget, targetText, type BenchRow } from './stats';

function printTable(rows: BenchRow[]): void {
  const header = ['group', 'benchmark', 'value', 'p50 ms', 'p95 ms', 'compared with', 'ratio', 'target', 'met', 'n'];
  const lines = rows.map((row) => {
    const met = meetsTarget(row);
    return [
      row.group,
      row.name,
      row.value === undefined ? '' : `${format(row.value)} ${row.unit ?? ''}`,
      format(row.p50_ms),
      format(row.p95_ms),
      row.compare ?? (row.raw !== undefined ? `raw ${format(row.raw)}` : row.raw_p50_ms !== undefined ? `raw p50 ${format(row.raw_p50_ms)} ms` : ''),
      format(row.ratio),
      targetText(row.target),
      met === undefined ? '' : met ? 'met' : 'MISSED',
      String(row.n),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(render(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(render(line));
  for (const row of rows) if (row.note) console.log(`  ${row.name}: ${row.note}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { jobs: { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' } },
  });
  const jobs = Number(values.jobs ?? 1_000_000);
  const only = new Set((values.only ?? 'core,start,engine,rpc,mix,traces,ui,problems').split(','));
  const rows: BenchRow[] = [];
  const started = Date.now();
  let history: History | null = null;
  if (only.has('core')) {
    const core = await benchCore({ jobs, quick: values.quick ?? false });
    rows.push(...core.rows);
    history = core.history;
    rows.push(...sizeRows(history.dir, `${jobs.toLocaleString('en-US')}-job history, one run each, no events`));
  }
  if (only.has('start')) {
    history ??= buildHistory(jobs, Math.min(5_000, Math.round(jobs / 200)));
    rows.push(...(await benchStart(history)));
  }
  if (only.has('rpc')) {
    history ??= buildHistory(jobs, 0);
    rows.push(...(await benchRpc({ dataDir: history.dir })));
  }
  if (only.has('mix')) {
    // After rpc: the mix submits jobs into the history it measures.
    history ??= buildHistory(jobs, 0);
    rows.push(...(await benchMix({ large: history, seconds: values.quick ? 3 : 10 })));
  }
  if (history) removeHistory(history);
  if (only.has('engine')) rows.push(...(await benchEngine({ jobs: values.quick ? 500 : 2_000 })));
  if (only.has('traces')) {
    const traceEvents = values.quick ? 100_000 : 1_000_000;
    rows.push(...benchTraces({ traceEvents, jobEvents: traceEvents / 10 }));
  }
  if (only.has('ui')) {
    // The UI figures are asked for on a 100,000-job history, whatever --jobs says.
    const uiHistory = buildHistory(Math.min(jobs, 100_000), 0);
    try {
      rows.push(...(await benchUi({ dataDir: uiHistory.dir, rounds: values.quick ? 3 : 7 })));
    } finally {
      removeHistory(uiHistory);
    }
    // Lanes and the Trace view are asked for on 1,000,000 Flight Recorder events.
    rows.push(...(await benchInspectorViewsOnNewHistory({ events: values.quick ? 200_000 : 1_000_000, rounds: values.quick ? 3 : 5 })));
  }
  // problems.list is asked for on 100,000 diagnostics, whatever --jobs says.
  if (only.has('problems')) rows.push(...(await benchProblems({ diagnostics: values.quick ? 20_000 : 100_000, rounds: values.quick ? 100 : 300 })));
  printTable(rows);
  const out = path.join(import.meta.dirname, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, platform: process.platform, node: process.version }, jobs, duration_s: (Date.now() - started) / 1000, rows }, null, 2)}\n`,
  );
  console.log(`\nwrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
