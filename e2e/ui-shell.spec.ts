/**
 * The minimal UI the desktop-shell issue needs, in the browser lane: recovery state, submitting
 * through the UI, canonical kinds only, and an interrupted run shown stalled after start.
 */
import { expect, startServe, test } from './fixtures/app';
import { JOB_KINDS } from '../src-shared/enums';
import { openApp } from './ui-support';

test('the app loads and shows recovery complete', async ({ app, page }) => {
  await openApp(page, app.url);
  await expect(page.getByTestId('recovery-status')).toHaveText(/Ready/);
  await expect(page.getByTestId('view-jobs')).toBeVisible();
});

test('a job submitted through the UI appears in the list with its canonical kind', async ({ app, page }) => {
  await openApp(page, app.url);
  await page.getByTestId('new-job').click();
  await page.getByTestId('submit-kind').selectOption('doc_summarize');
  await page.getByTestId('submit-input-text').fill('Summarise this sentence, please.');
  await page.getByTestId('submit-job').click();
  await expect(page.getByTestId('submit-dialog')).toBeHidden();
  const row = page.getByTestId('job-row').first();
  await expect(row.getByTestId('job-kind')).toHaveText('doc_summarize');
  const jobId = await row.getAttribute('data-job-id');
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId ?? '');
  const stored = await app.rpc<{ job_kind: string }>('jobs.get', { job_id: jobId });
  expect(stored.ok && stored.data.job_kind).toBe('doc_summarize');
});

test('an unknown kind cannot be chosen in the UI', async ({ app, page }) => {
  await openApp(page, app.url);
  await page.getByTestId('new-job').click();
  const kind = page.getByTestId('submit-kind');
  const options = await kind.locator('option').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
  expect(options).toEqual([...JOB_KINDS]);
  await expect(kind.selectOption('term_exec', { timeout: 1_000 })).rejects.toThrow();
  await expect(kind.selectOption('summarize_doc', { timeout: 1_000 })).rejects.toThrow();
  // The kind filter offers the same canonical list and nothing else.
  await page.getByTestId('submit-dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('filter-kind').locator('summary').click();
  const filterKinds = await page.getByTestId('filter-kind').locator('input[type=checkbox]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')));
  expect(filterKinds).toEqual(JOB_KINDS.map((kind) => `filter-kind-${kind}`));
});

test('a seeded data dir with an interrupted run shows it stalled with its workflow_recovery event after start', async ({ page }) => {
  const app = await startServe({ seed: { jobs: 40 } });
  try {
    await openApp(page, app.url);
    await expect(page.getByTestId('recovery-banner')).toContainText('recovered at launch');
    await page.getByTestId('recovery-banner-show').click();
    const stalled = page.getByTestId('job-row').first();
    await expect(stalled.getByTestId('state-badge')).toHaveText('stalled');
    await stalled.click();
    await expect(page.getByTestId('state-explanation')).toContainText(/Stalled: the app stopped unexpectedly \(a crash or power loss\) while attempt 1 ran; its last heartbeat came .+ before startup recovery found it/);
    await page.getByTestId('tab-timeline').click();
    const recovery = page.locator('[data-testid=event-item][data-event-type=workflow_recovery]');
    await expect(recovery).toHaveCount(1);
    await recovery.click();
    await expect(page.getByTestId('evidence-drawer')).toContainText('running → stalled');
  } finally {
    await app.stop();
  }
});
