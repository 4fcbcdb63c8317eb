/**
 * The global Timeline's job column and its lanes view: runs as bars over wall-clock time, by
 * concurrency slot or by job, zoomed and panned, a run selected with the keyboard, and the span
 * retention removed drawn (and said) as such.
 */
import type { Page } from '@playwright/test';
import type { LanesWindow } from '../src-shared/inspector-views';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes } from './ui-support';
import { shortId } from '../src-shared/short-id';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 60 }, extraArgs: ['--retention-days', '1'] });
});
test.afterAll(async () => {
  await app.stop();
});

const windowOf = async (page: Page) => {
  const canvas = page.getByTestId('lanes-canvas');
  return { from: Date.parse((await canvas.getAttribute('data-from'))!), to: Date.parse((await canvas.getAttribute('data-to'))!) };
};

test('shows the job of every event (kind and short id) as a link to that job', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&e_type=workflow_run_started`);
  const link = page.getByTestId('event-job-link').first();
  await expect(link).toContainText(/^(doc_|terminal_exec|spec_router|sheet_|canvas_|distillation_|workflow_run|asr_|debug_)/);
  const jobId = (await page.getByTestId('event-job').first().getAttribute('data-job-id'))!;
  await expect(link).toContainText(shortId(jobId));
  await expect(link).toHaveAttribute('href', new RegExp(`job=${jobId}`));
  await screenshotBothThemes(page, 'timeline-job-column');
  await link.click();
  await expect(page.getByTestId('view-jobs')).toBeVisible();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId);
});

test('draws runs in lanes per slot, zooms and pans, and keeps the window in the URL', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline`);
  await page.getByTestId('lanes-toggle').click();
  await expect(page.getByTestId('lanes-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => hashParams(page).get('lanes')).toBe('slot');
  const panel = page.getByTestId('lanes-panel');
  await expect(panel).toHaveAttribute('data-mode', 'spans');
  await page.getByTestId('lanes-fit').click();
  // The seed spreads 60 jobs over three days and retention keeps one: a dozen or more runs remain.
  await expect.poll(async () => Number(await panel.getAttribute('data-run-count'))).toBeGreaterThan(10);
  await expect(page.getByTestId('lanes-summary')).toContainText(/runs? in view, \d+ lanes?/);

  const fitted = await windowOf(page);
  await page.getByTestId('lanes-zoom-in').click();
  const zoomed = await windowOf(page);
  expect(zoomed.to - zoomed.from).toBeLessThan((fitted.to - fitted.from) * 0.7);
  await page.getByTestId('lanes-canvas').focus();
  await page.keyboard.press('ArrowRight');
  const panned = await windowOf(page);
  expect(panned.from).toBeGreaterThan(zoomed.from);
  expect(Math.abs(panned.to - panned.from - (zoomed.to - zoomed.from))).toBeLessThan(5);
  await expect.poll(() => hashParams(page).get('l_from')).toBe(await page.getByTestId('lanes-canvas').getAttribute('data-from'));
});

test('selects a run from the keyboard, shows its job and attempt, and passes axe', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&lanes=slot`);
  await page.getByTestId('lanes-fit').click();
  await page.getByTestId('lanes-canvas').focus();
  await page.keyboard.press(']');
  await expect(page.getByTestId('lanes-selected')).toContainText(/attempt \d+/);
  await screenshotBothThemes(page, 'timeline-lanes');
  await expectNoSeriousA11yViolations(page);
});

test('gives each job its own lane, and filters the table to the selected run\'s events', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&lanes=job`);
  await page.getByTestId('lanes-fit').click();
  await expect(page.locator('.lanes-label').first()).toContainText(/^[a-z_]+ [0-9a-f]{8}$/);
  await page.getByTestId('lanes-canvas').focus();
  await page.keyboard.press(']');
  const selected = page.getByTestId('lanes-selected');
  const runId = (await selected.getAttribute('data-run-id'))!;
  await screenshotBothThemes(page, 'timeline-lanes-by-job');
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('lanes-run-events').click();
  await expect.poll(() => hashParams(page).get('e_run')).toBe(runId);
  await expect(page.getByTestId('event-item').first()).toBeVisible();
  const listed = await page.getByTestId('event-item').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-event-type')));
  expect(listed).toContain('workflow_run_started');
});

test('opens the selected run\'s job from the lanes', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&lanes=slot`);
  await page.getByTestId('lanes-fit').click();
  await page.getByTestId('lanes-canvas').focus();
  await page.keyboard.press(']');
  const href = (await page.getByTestId('lanes-open-job').getAttribute('href'))!;
  const jobId = new URLSearchParams(href.slice(1)).get('job');
  await page.getByTestId('lanes-open-job').click();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId!);
});

test('hatches and names the span retention removed, and draws no run inside it', async ({ page }) => {
  const status = await app.rpc<{ last_purge_cutoff: string | null }>('system.status', {});
  expect(status.ok && status.data.last_purge_cutoff).toBeTruthy();
  const cutoff = status.ok ? Date.parse(status.data.last_purge_cutoff!) : 0;
  // A window that starts a day before the cutoff, so the purged span is in view.
  const from = new Date(cutoff - 86_400_000).toISOString();
  await openApp(page, `${app.url}&view=timeline&lanes=slot&l_from=${encodeURIComponent(from)}&l_to=${encodeURIComponent(new Date().toISOString())}`);
  await expect(page.getByTestId('lanes-retention')).toContainText('removed by retention');
  const window = await app.rpc<LanesWindow>('timeline.lanes', { from: new Date(cutoff - 3 * 86_400_000).toISOString(), to: new Date().toISOString() });
  expect(window.ok && window.data.purged_before).toBeTruthy();
  if (window.ok) for (const span of window.data.spans) expect(Date.parse(span.start)).toBeGreaterThanOrEqual(cutoff);
  await screenshotBothThemes(page, 'timeline-lanes-retention');
});
