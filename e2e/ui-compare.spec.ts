/**
 * Compare: two jobs (inputs and outputs as a structural diff, metrics side by side, events aligned)
 * and two attempts of one job, opened from the inspector.
 */
import type { AiJob } from '../src-shared/job';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes } from './ui-support';

let app: ServeHandle;
let first: AiJob;
let second: AiJob;

async function settled(jobId: string, states: RegExp): Promise<void> {
  await expect.poll(async () => {
    const result = await app.rpc<AiJob>('jobs.get', { job_id: jobId });
    return result.ok ? result.data.state : 'missing';
  }, { timeout: 30_000 }).toMatch(states);
}

async function submit(text: string): Promise<AiJob> {
  const created = await app.rpc<AiJob>('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text, max_tokens: 64 } });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await settled(created.data.job_id, /^(completed|completed_with_issues)$/);
  return created.data;
}

test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 20 } });
  first = await submit('The quarterly report: revenue grew.');
  second = await submit('The incident timeline: the database failed over twice.');
});
test.afterAll(async () => {
  await app.stop();
});

test('compares two jobs: inputs and outputs diffed, figures side by side, events aligned', async ({ page }) => {
  await openApp(page, `${app.url}&job=${first.job_id}`);
  await page.getByTestId('open-compare').click();
  await expect(page.getByTestId('compare-picker')).toBeVisible();
  await screenshotBothThemes(page, 'compare-picker');
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('compare-job-id').fill(second.job_id);
  await page.getByTestId('compare-job-id').press('Enter');
  await expect.poll(() => hashParams(page).get('cmp_b')).toBe(second.job_id);

  const inputs = page.getByTestId('compare-inputs');
  await expect(inputs).toHaveAttribute('data-changes', '1');
  await expect(inputs.locator('[data-kind=modified]')).toContainText('text: "The quarterly report: revenue grew."');
  await expect(inputs.locator('[data-kind=unchanged]').filter({ hasText: 'max_tokens: 64' })).toHaveCount(1);
  await expect(page.getByTestId('compare-outputs')).not.toHaveAttribute('data-changes', '0');
  await expect(page.locator('[data-testid=compare-figure][data-name=total_tokens]')).toBeVisible();
  await expect(page.locator('[data-testid=compare-figure][data-name=status] td').nth(0)).toHaveText(/completed/);
  const rows = page.getByTestId('compare-event-row');
  await expect(rows.first()).toContainText('job_created');
  expect(await rows.evaluateAll((all) => all.filter((row) => row.getAttribute('data-side') === 'both').length)).toBeGreaterThan(4);
  await screenshotBothThemes(page, 'compare-jobs');
  await expectNoSeriousA11yViolations(page);
});

test('compares two attempts of one job from its Runs tab', async ({ page }) => {
  const stalled = await app.rpc<{ items: AiJob[] }>('jobs.list', { state: 'stalled', job_kind: 'terminal_exec', limit: 10 });
  if (!stalled.ok) throw new Error('jobs.list failed');
  const job = stalled.data.items.find((item) => JSON.stringify(item.job_inputs).includes('make'))!;
  expect(job).toBeTruthy();
  expect((await app.rpc('jobs.resume', { job_id: job.job_id })).ok).toBe(true);
  await settled(job.job_id, /^(completed|failed)$/);

  await openApp(page, `${app.url}&job=${job.job_id}&tab=runs`);
  await page.getByTestId('compare-attempts').click();
  await expect(page.getByTestId('compare-view')).toContainText('Compare attempts');
  await expect(page.locator('[data-testid=compare-figure][data-name=status] td').nth(0)).toHaveText('stalled');
  await expect(page.locator('[data-testid=compare-figure][data-name=status] td').nth(1)).toHaveText(/completed|failed/);
  await expect(page.getByTestId('compare-events')).toContainText('workflow_run_started');
  await screenshotBothThemes(page, 'compare-attempts');
  await expectNoSeriousA11yViolations(page);
});
