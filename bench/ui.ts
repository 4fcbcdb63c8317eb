/**
 * UI responsiveness in the real browser against `npm run serve` on a large history (issue 4):
 * navigation to the first page of jobs, opening a job's inspector, the next page appearing while
 * scrolling, and the longest frame during a fast scroll (requestAnimationFrame deltas).
 * The inspector's views on a Flight Recorder history of 1,000,000 events (issue 11): the Timeline
 * lanes' first paint and the longest frame while panning them, and opening the Trace view on a
 * trace of 10,000 events.
 * Called by bench/run.ts; runnable alone:
 *   npx tsx bench/ui.ts [--data-dir DIR] [--jobs N] [--rounds N] [--events N] [--part jobs,views]
 * Without --data-dir it seeds a temporary data dir with N jobs (default 100,000) first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { startServe } from '../e2e/fixtures/app';
import { CHROMIUM_ARGS, ensureChromium } from '../scripts/ensure-chromium';
import { buildEventHistory, type EventHistory } from './event-history';
import { meetsTarget, percentile } from './stats';

export interface UiBenchRow {
  group: 'ui';
  name: string;
  p50_ms?: number;
  p95_ms?: number;
  value?: number;
  unit?: string;
  n: number;
  note?: string;
  target?: { max?: number; max_p95?: number };
}

export interface BenchUiOptions {
  dataDir: string;
  /** Timed repetitions of each measurement (default 7). */
  rounds?: number;
}

const VIEWPORT = { width: 1400, height: 860 };
const FAST_SCROLL_MS = 3_000;
const FAST_SCROLL_PX_PER_FRAME = 2_400;

const round1 = (ms: number) => Math.round(ms * 10) / 10;

function timingRow(name: string, samples: number[], target: number, note: string): UiBenchRow {
  return { group: 'ui', name, p50_ms: round1(percentile(samples, 50)), p95_ms: round1(percentile(samples, 95)), n: samples.length, note, target: { max_p95: target } };
}

/** ms from navigation start until `selector` is on the page and one more frame is painted (measured in the page). */
async function paintedAfterNavigation(context: BrowserContext, url: string, selector: string): Promise<number> {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(selector).first().waitFor();
  const ms = await page.evaluate(() => new Promise<number>((done) => requestAnimationFrame(() => done(performance.now()))));
  await page.close();
  return ms;
}

/** ms from navigation start until the first job row is painted. */
const firstPageVisible = (context: BrowserContext, url: string) => paintedAfterNavigation(context, url, '[data-testid=job-row]');

/** Clicks the n-th visible row and waits in the page until its inspector shows the job's fields. */
async function openInspector(page: Page, index: number): Promise<number> {
  return page.evaluate(
    (rowIndex) =>
      new Promise<number>((done, fail) => {
        const rows = document.querySelectorAll<HTMLElement>('[data-testid=job-row]');
        const row = rows[rowIndex % rows.length];
        const jobId = row?.dataset.jobId;
        if (!row || !jobId) return fail(new Error('no job row to open'));
        const selector = `[data-testid=job-inspector][data-job-id="${jobId}"] [data-testid=job-fields]`;
        const started = performance.now();
        const check = () => {
          if (document.querySelector(selector)) requestAnimationFrame(() => done(performance.now() - started));
          else requestAnimationFrame(check);
        };
        row.click();
        check();
      }),
    index,
  );
}

/** Scrolls to the end of what is loaded and waits until more rows are loaded and painted. */
async function nextPageWhileScrolling(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((done) => {
        const grid = document.querySelector<HTMLElement>('[data-testid=jobs-grid]')!;
        const before = Number(grid.dataset.rowCount);
        const started = performance.now();
        grid.scrollTop = grid.scrollHeight;
        const check = () => {
          if (Number(grid.dataset.rowCount) > before) requestAnimationFrame(() => done(performance.now() - started));
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
}

/** Scrolls by a large step every frame and records the gaps between animation frames. */
async function fastScrollFrames(page: Page): Promise<number[]> {
  return page.evaluate(
    ({ durationMs, step }) =>
      new Promise<number[]>((done) => {
        const grid = document.querySelector<HTMLElement>('[data-testid=jobs-grid]')!;
        const deltas: number[] = [];
        let last = performance.now();
        const started = last;
        const frame = (now: number) => {
          deltas.push(now - last);
          last = now;
          grid.scrollTop += step;
          if (now - started < durationMs) requestAnimationFrame(frame);
          else done(deltas.slice(1));
        };
        requestAnimationFrame(frame);
      }),
    { durationMs: FAST_SCROLL_MS, step: FAST_SCROLL_PX_PER_FRAME },
  );
}

export async function benchUi(opts: BenchUiOptions): Promise<UiBenchRow[]> {
  const rounds = opts.rounds ?? 7;
  const app = await startServe({ dataDir: opts.dataDir });
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: VIEWPORT });
  // tsx compiles the in-page callbacks with esbuild's keepNames, which calls a `__name` helper.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  try {
    // One warm-up load so the numbers do not include the first read of a cold database file.
    await firstPageVisible(context, app.url);
    const firstPage: number[] = [];
    for (let round = 0; round < rounds; round += 1) firstPage.push(await firstPageVisible(context, app.url));

    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByTestId('job-row').first().waitFor();
    const inspector: number[] = [];
    for (let round = 0; round < rounds; round += 1) inspector.push(await openInspector(page, round * 3 + 1));
    await page.getByTestId('close-inspector').click();

    const nextPage: number[] = [];
    for (let round = 0; round < rounds; round += 1) nextPage.push(await nextPageWhileScrolling(page));

    const frames = await fastScrollFrames(page);
    const loaded = Number(await page.getByTestId('jobs-grid').getAttribute('data-row-count'));
    await page.close();
    return [
      timingRow('ui: navigation to first page of jobs visible', firstPage, 1_000, 'performance.now() at the first painted job row'),
      timingRow('ui: open a job inspector', inspector, 200, 'click -> job fields painted (jobs.get + events.list + runs.list)'),
      timingRow('ui: next page shown while scrolling', nextPage, 1_000, 'scroll to end -> next keyset page (200 rows) painted'),
      {
        group: 'ui',
        name: 'ui: longest frame during fast scroll',
        value: round1(Math.max(...frames)),
        unit: 'ms',
        p50_ms: round1(percentile(frames, 50)),
        p95_ms: round1(percentile(frames, 95)),
        n: frames.length,
        note: `${FAST_SCROLL_PX_PER_FRAME}px per frame for ${FAST_SCROLL_MS / 1000}s; ${loaded} rows loaded by the end`,
        target: { max: 50 },
      },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}

// ---- inspector views on 1,000,000 events ------------------------------------------------------

const PAN_DRAGS = 6;
const PAN_STEPS_PER_DRAG = 90;

/** ms from navigation start until the lanes have data and are drawn. */
const lanesFirstPaint = (context: BrowserContext, url: string) => paintedAfterNavigation(context, url, '[data-testid=lanes-panel]:not([data-mode=loading])');

/** Drags the lanes sideways, a window's width per drag, recording the gaps between animation frames. */
async function panFrames(page: Page): Promise<number[]> {
  const box = (await page.getByTestId('lanes-canvas').boundingBox())!;
  const y = box.y + box.height / 2;
  await page.evaluate(() => {
    const state = { deltas: [] as number[], last: performance.now(), running: true };
    (globalThis as unknown as { __frames: typeof state }).__frames = state;
    const frame = (now: number) => {
      state.deltas.push(now - state.last);
      state.last = now;
      if (state.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  for (let drag = 0; drag < PAN_DRAGS; drag += 1) {
    await page.mouse.move(box.x + box.width - 20, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 20, y, { steps: PAN_STEPS_PER_DRAG });
    await page.mouse.up();
  }
  // The last fetch landing and being drawn belongs inside the measured frames.
  await page.locator('[data-testid=lanes-panel][data-loading=false]').waitFor();
  return page.evaluate(() => {
    const state = (globalThis as unknown as { __frames: { deltas: number[]; running: boolean } }).__frames;
    state.running = false;
    return state.deltas.slice(1);
  });
}

/** ms from navigation start until the first row of the trace tree is painted. */
const traceOpen = (context: BrowserContext, url: string) => paintedAfterNavigation(context, url, '[data-testid=trace-row]');

export async function benchInspectorViews(opts: { history: EventHistory; rounds?: number }): Promise<UiBenchRow[]> {
  const rounds = opts.rounds ?? 5;
  const { history } = opts;
  const app = await startServe({ dataDir: history.dir });
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const lanesUrl = (from: string, to: string) => `${app.url}&view=timeline&lanes=slot&l_from=${from}&l_to=${to}`;
  try {
    const spansUrl = lanesUrl(history.middle.from, history.middle.to);
    const wholeUrl = lanesUrl(history.first, history.last);
    await lanesFirstPaint(context, spansUrl);
    const spansPaint: number[] = [];
    const wholePaint: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      spansPaint.push(await lanesFirstPaint(context, spansUrl));
      wholePaint.push(await lanesFirstPaint(context, wholeUrl));
    }

    const page = await context.newPage();
    await page.goto(spansUrl);
    await page.locator('[data-testid=lanes-panel][data-mode=spans]').waitFor();
    const frames = await panFrames(page);
    const mode = await page.getByTestId('lanes-panel').getAttribute('data-mode');
    await page.close();

    const traceUrl = `${app.url}&view=trace&tr=${history.traceId}`;
    await traceOpen(context, traceUrl);
    const trace: number[] = [];
    for (let round = 0; round < rounds; round += 1) trace.push(await traceOpen(context, traceUrl));
    // The same page's cost of starting at all, for reading the figures above on a loaded machine.
    const reference: number[] = [];
    for (let round = 0; round < rounds; round += 1) reference.push(await firstPageVisible(context, app.url));

    const events = history.events.toLocaleString('en-US');
    return [
      timingRow(`ui: Timeline lanes first paint, 10-minute window (${events} events)`, spansPaint, 1_000, 'navigation -> runs drawn as bars (timeline.lanes, ~800 runs fetched with margins)'),
      timingRow(`ui: Timeline lanes first paint, whole history (${events} events)`, wholePaint, 1_000, 'navigation -> runs started per interval drawn (density: index-only counts)'),
      {
        group: 'ui',
        name: `ui: longest frame while panning the lanes (${events} events)`,
        value: round1(Math.max(...frames)),
        unit: 'ms',
        p50_ms: round1(percentile(frames, 50)),
        p95_ms: round1(percentile(frames, 95)),
        n: frames.length,
        note: `${PAN_DRAGS} drags of one window width each (refetching beyond the loaded margin); ended in ${mode} mode`,
        target: { max: 50 },
      },
      timingRow(`ui: Trace view open (${history.traceEvents.toLocaleString('en-US')}-event trace)`, trace, 1_000, 'navigation -> first tree row painted (traces.get: jobs, runs, nodes and the first 1,000 events; the rest follow)'),
      { ...timingRow(`ui: reference: jobs list first paint on the same history`, reference, 0, 'no target: what loading the page costs on this machine, included in the figures above'), target: undefined },
    ];
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** Builds the 1,000,000-event history in a temporary dir, runs the view benchmarks, removes it. */
export async function benchInspectorViewsOnNewHistory(opts: { events?: number; rounds?: number } = {}): Promise<UiBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hsk-bench-views-'));
  try {
    console.error(`building a Flight Recorder history of ${(opts.events ?? 1_000_000).toLocaleString('en-US')} events...`);
    const history = buildEventHistory(dir, opts.events);
    return await benchInspectorViews({ history, rounds: opts.rounds });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function seed(dataDir: string, jobs: number): void {
  const result = spawnSync('npm', ['run', '--silent', 'seed', '--', '--data-dir', dataDir, '--jobs', String(jobs)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run seed failed (see output above)');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, jobs: { type: 'string' }, rounds: { type: 'string' }, events: { type: 'string' }, part: { type: 'string' } },
  });
  const parts = new Set((values.part ?? 'jobs,views').split(','));
  const ownDir = values['data-dir'] === undefined;
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : mkdtempSync(join(tmpdir(), 'hsk-bench-ui-'));
  try {
    const rounds = values.rounds ? Number(values.rounds) : undefined;
    const rows: UiBenchRow[] = [];
    if (parts.has('jobs')) {
      if (ownDir) seed(dataDir, Number(values.jobs ?? 100_000));
      rows.push(...(await benchUi({ dataDir, rounds })));
    }
    if (parts.has('views')) rows.push(...(await benchInspectorViewsOnNewHistory({ events: values.events ? Number(values.events) : undefined, rounds })));
    console.table(rows.map((row) => ({ name: row.name, p50_ms: row.p50_ms, p95_ms: row.p95_ms, value: row.value, n: row.n, target: meetsTarget(row) === false ? 'MISSED' : 'met' })));
  } finally {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  await main();
}
