/**
 * Lists (issue 11, item 7): counts per state for the filter, bulk cancel, short-id search with
 * highlighting, collapsible JSON, the terminal output viewer, and copy-link on every view.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes, shortOf, waitForJobState } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 60 } });
});
test.afterAll(async () => {
  await app.stop();
});

const command = (script: string) => ({
  job_kind: 'terminal_exec',
  protocol_id: 'hsk.terminal.exec.v0',
  access_mode: 'apply_scoped',
  job_inputs: { argv: ['sh', '-c', script] },
});

async function create(input: unknown): Promise<string> {
  const created = await app.rpc<{ job_id: string }>('jobs.create', input);
  if (!created.ok) throw new Error(created.error.message);
  return created.data.job_id;
}

test('shows the total and per-state counts for the filter, and a state chip filters the list', async ({ page }) => {
  const counts = await app.rpc<{ total: number; by_state: Record<string, number> }>('jobs.count', {});
  expect(counts.ok).toBe(true);
  if (!counts.ok) return;
  await openApp(page, app.url);
  await expect(page.getByTestId('counts-total')).toHaveText(`${counts.data.total} jobs`);
  await expect(page.getByTestId('count-failed')).toContainText(String(counts.data.by_state.failed));
  await page.getByTestId('count-failed').click();
  await expect.poll(() => hashParams(page).get('state')).toBe('failed');
  await expect(page.getByTestId('count-failed')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('counts-total')).toHaveText(`${counts.data.by_state.failed} jobs`);
  for (const badge of await page.getByTestId('state-badge').allTextContents()) expect(badge).toBe('failed');
  await screenshotBothThemes(page, 'jobs-counts');
  await expectNoSeriousA11yViolations(page);
});

test('cancels the chosen jobs after confirmation, one human event per job', async ({ page }) => {
  const ids = [await create(command('exec sleep 30')), await create(command('exec sleep 30')), await create(command('exec sleep 30'))];
  await openApp(page, `${app.url}&q=sleep&state=queued,running`);
  for (const id of ids) await page.locator(`[data-testid=job-row][data-job-id="${id}"]`).getByTestId('job-choose').check();
  await expect(page.getByTestId('bulk-count')).toHaveText('3 jobs chosen');
  await page.getByTestId('bulk-cancel').click();
  await expect(page.getByTestId('bulk-cancel-dialog')).toBeVisible();
  await screenshotBothThemes(page, 'jobs-bulk-cancel');
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('bulk-cancel-reason').fill('e2e: clearing the queue');
  await page.getByTestId('bulk-cancel-confirm').click();
  await expect(page.getByTestId('bulk-result')).toContainText('Cancelled 3 jobs');
  for (const id of ids) {
    const events = await app.rpc<{ items: Array<{ payload: { to_state: string } }> }>('events.list', { job_id: id, type: ['job_state_changed'], actor: 'human' });
    expect(events.ok && events.data.items.filter((event) => event.payload.to_state === 'cancelled').length).toBe(1);
  }
});

test('finds a job by any prefix of its short id, or of its trace or run id, and marks the match', async ({ page }) => {
  const listed = await app.rpc<{ items: Array<{ job_id: string; trace_id: string; workflow_run_id: string | null }> }>('jobs.list', { state: ['completed'], job_kind: ['doc_ingest'], limit: 1 });
  const job = listed.ok ? listed.data.items[0]! : null;
  expect(job?.workflow_run_id).toBeTruthy();
  await openApp(page, app.url);
  const search = page.getByTestId('job-search');
  await search.fill(shortOf(job!.job_id).slice(0, 6));
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-job-id', job!.job_id);
  await expect(page.getByTestId('job-short-id').locator('mark')).toHaveText(shortOf(job!.job_id).slice(0, 6));
  await screenshotBothThemes(page, 'jobs-short-id-search');
  await search.fill(shortOf(job!.trace_id));
  await expect(page.locator(`[data-testid=job-row][data-job-id="${job!.job_id}"]`)).toBeVisible();
  await search.fill(shortOf(job!.workflow_run_id!));
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-job-id', job!.job_id);
});

test('shows JSON as a tree that folds and unfolds, and a running command’s output live', async ({ page }) => {
  const id = await create(command('echo first line; while [ ! -e go ]; do sleep 0.1; done; echo second line; exec sleep 30'));
  await waitForJobState(app.rpc, id, ['running']);
  await openApp(page, `${app.url}&job=${id}&tab=io`);
  const text = page.getByTestId('terminal-text');
  await expect(text).toHaveText('first line\n');
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-live', 'true');
  // The command (running in its artifact dir) goes on only when told: the viewer must pick up
  // what it writes next without being asked.
  writeFileSync(join(app.dataDir, 'artifacts', id, 'go'), '');
  await expect(text).toHaveText('first line\nsecond line\n');
  await screenshotBothThemes(page, 'inspector-terminal-output');
  await expectNoSeriousA11yViolations(page, '[data-testid=tabpanel-io]');

  const inputs = page.getByTestId('job-inputs');
  await expect(inputs).toContainText('0: "sh"');
  await inputs.getByRole('button', { name: 'Collapse all' }).click();
  await expect(inputs).not.toContainText('0: "sh"');
  await expect(inputs).toContainText('{ 1 key }');
  await inputs.getByRole('button', { name: 'Expand all' }).click();
  await expect(inputs).toContainText('0: "sh"');
  await inputs.locator('summary', { hasText: 'argv' }).click();
  await expect(inputs).not.toContainText('0: "sh"');
  await app.rpc('jobs.cancel', { job_id: id });
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-live', 'false');
});

test('copies a link to what is on screen, token-free, from every view', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const copied = async () => {
    await page.getByTestId('copy-link').click();
    await expect(page.getByTestId('copy-link')).toHaveText('Link copied');
    return page.evaluate(() => navigator.clipboard.readText());
  };
  await openApp(page, `${app.url}&state=failed`);
  expect(await copied()).toBe(page.url());
  await page.getByTestId('job-row').first().click();
  const withJob = await copied();
  expect(new URL(withJob).hash).toMatch(/state=failed.*job=/);
  await page.getByTestId('nav-timeline').click();
  const timeline = await copied();
  expect(new URL(timeline).hash).toContain('view=timeline');
  for (const link of [withJob, timeline]) expect(link).not.toContain(app.token);
  const other = await context.newPage();
  await openApp(other, withJob);
  await expect(other.getByTestId('job-inspector')).toBeVisible();
  await other.close();
});
