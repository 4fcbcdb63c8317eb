/**
 * The Trace view: every job, run, node and event of one trace_id as a tree with a waterfall,
 * opened from a job's inspector or from an event, walked with the keyboard.
 */
import type { Page } from '@playwright/test';
import type { AiJob } from '../src-shared/job';
import type { Trace } from '../src-shared/inspector-views';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes } from './ui-support';

const TRACE = '019a0000-0000-7000-8000-00000000c0de';
let app: ServeHandle;
let jobs: AiJob[];

async function waitFinished(jobId: string): Promise<void> {
  await expect.poll(async () => {
    const result = await app.rpc<AiJob>('jobs.get', { job_id: jobId });
    return result.ok ? result.data.state : 'missing';
  }).toMatch(/^(completed|completed_with_issues|failed)$/);
}

test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 20 } });
  jobs = [];
  for (const input of [
    { job_kind: 'workflow_run', protocol_id: 'hsk.workflow.v0', job_inputs: { steps: [{ kind: 'spec_router', inputs: { text: 'route me' } }, { kind: 'doc_summarize', inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'Two steps in one trace.' } }] } },
    { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'A second job in the same trace.' } },
  ]) {
    const created = await app.rpc<AiJob>('jobs.create', { ...input, access_mode: 'analysis_only', trace_id: TRACE });
    if (!created.ok) throw new Error(JSON.stringify(created));
    jobs.push(created.data);
    await waitFinished(created.data.job_id);
  }
});
test.afterAll(async () => {
  await app.stop();
});

const rowKinds = (page: Page) => page.getByTestId('trace-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));

test('opens from a job and shows its jobs, runs, nodes and events as a tree with a waterfall', async ({ page }) => {
  await openApp(page, `${app.url}&job=${jobs[0]!.job_id}`);
  await page.getByTestId('open-trace').click();
  await expect(page.getByTestId('trace-view')).toHaveAttribute('data-trace-id', TRACE);
  expect(hashParams(page).get('view')).toBe('trace');
  const trace = await app.rpc<Trace>('traces.get', { trace_id: TRACE });
  if (!trace.ok) throw new Error('traces.get failed');
  const nodes = trace.data.runs.reduce((sum, run) => sum + run.nodes.length, 0);
  await expect(page.getByTestId('trace-counts')).toContainText(`2 jobs · 2 runs · ${nodes} nodes · ${trace.data.events.length} events`);
  // The tree is virtualised and each job now carries a capability decision per checkpoint: count
  // the structure with events hidden (every row fits), then the events with them shown.
  await page.getByTestId('trace-hide-events').click();
  const kinds = await rowKinds(page);
  expect(kinds.filter((kind) => kind === 'job')).toHaveLength(2);
  expect(kinds.filter((kind) => kind === 'run')).toHaveLength(2);
  expect(kinds.filter((kind) => kind === 'node')).toHaveLength(nodes);
  await page.getByTestId('trace-hide-events').click();
  await expect.poll(async () => (await rowKinds(page)).filter((kind) => kind === 'event').length).toBeGreaterThan(5);
  await expect(page.locator('[data-testid=trace-row][data-kind=job] .bar-queue').first()).toBeAttached();
  await screenshotBothThemes(page, 'trace');
  await expectNoSeriousA11yViolations(page);
});

test('walks the tree with the keyboard, collapses a job, hides events, and opens an event and a job', async ({ page }) => {
  await openApp(page, `${app.url}&view=trace&tr=${TRACE}`);
  const tree = page.getByTestId('trace-tree');
  await expect(tree).toBeVisible();
  const all = Number(await tree.getAttribute('data-row-count'));
  await tree.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => Number(await tree.getAttribute('data-row-count'))).toBeLessThan(all);
  await expect(page.getByTestId('trace-row').first()).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await tree.getAttribute('data-row-count'))).toBe(all);

  await page.getByTestId('trace-hide-events').click();
  expect(await rowKinds(page)).not.toContain('event');
  await page.getByTestId('trace-hide-events').click();

  await page.locator('[data-testid=trace-row][data-kind=event]').first().click();
  await expect(page.getByTestId('evidence-drawer')).toBeVisible();
  await screenshotBothThemes(page, 'trace-evidence');
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('close-evidence').click();

  await page.locator('[data-testid=trace-row][data-kind=job]').nth(1).click();
  await page.getByTestId('trace-open-job').click();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobs[1]!.job_id);
});

test('opens from any event\'s evidence in the Timeline', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&e_trace=${TRACE}`);
  await page.getByTestId('event-item').first().click();
  await page.getByTestId('evidence-trace-view').click();
  await expect(page.getByTestId('trace-view')).toHaveAttribute('data-trace-id', TRACE);
  await expect(page.getByTestId('trace-row').first()).toBeVisible();
});
