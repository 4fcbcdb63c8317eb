/**
 * The "Why" panel (issue 11, item 3): every job explains where it is in one sentence, with the
 * facts behind it from jobs.explain, and each fact's record one click away.
 */
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, openApp, screenshotBothThemes, shortOf, waitForJobState } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 40 } });
});
test.afterAll(async () => {
  await app.stop();
});

const sleep = (seconds: number, extra: Record<string, unknown> = {}) => ({
  job_kind: 'terminal_exec',
  protocol_id: 'hsk.terminal.exec.v0',
  access_mode: 'apply_scoped',
  job_inputs: { argv: ['sleep', String(seconds)], ...extra },
});

async function create(input: unknown): Promise<string> {
  const created = await app.rpc<{ job_id: string }>('jobs.create', input);
  if (!created.ok) throw new Error(created.error.message);
  return created.data.job_id;
}

test('explains a stalled job with its last heartbeat and the recovery that found it, each one click away', async ({ page }) => {
  await openApp(page, `${app.url}&state=stalled`);
  await page.getByTestId('job-row').first().click();
  const panel = page.getByTestId('explain-panel');
  const sentence = panel.getByTestId('state-explanation');
  await expect(sentence).toHaveAttribute('data-reason', 'stalled_after_crash');
  await expect(sentence).toContainText('Resume, fail or cancel it.');
  const jobId = (await page.getByTestId('job-inspector').getAttribute('data-job-id'))!;
  const runs = await app.rpc<{ items: Array<{ last_heartbeat: string }> }>('runs.list', { job_id: jobId });
  await expect(panel.locator('[data-fact=last_heartbeat] time')).toHaveAttribute('datetime', runs.ok ? runs.data.items[0]!.last_heartbeat : '');
  await expect(panel.locator('[data-fact=heartbeat_limit]')).toContainText('30 s');
  await screenshotBothThemes(page, 'explain-stalled');
  await expectNoSeriousA11yViolations(page, '[data-testid=explain-panel]');
  await panel.locator('[data-fact=recovered_at]').getByTestId('fact-link').click();
  await expect(page.getByTestId('evidence-drawer')).toContainText('workflow_recovery');
});

test('names the jobs holding both worker slots for a queued job, and follows it once it runs', async ({ page }) => {
  const [first, second] = [await create(sleep(30)), await create(sleep(30))];
  await waitForJobState(app.rpc, first, ['running']);
  await waitForJobState(app.rpc, second, ['running']);
  const waiting = await create(sleep(30));
  await openApp(page, `${app.url}&job=${waiting}`);
  const sentence = page.getByTestId('explain-panel').getByTestId('state-explanation');
  await expect(sentence).toContainText(`First in the queue; both worker slots are busy (terminal_exec ${shortOf(first)}, terminal_exec ${shortOf(second)}).`);
  await expect(page.locator('[data-fact=slots]')).toContainText('2 of 2');
  await screenshotBothThemes(page, 'explain-queued');
  await expectNoSeriousA11yViolations(page, '[data-testid=explain-panel]');

  // A slot frees up: the panel follows the job into its run without a reload.
  await app.rpc('jobs.cancel', { job_id: first });
  await expect(sentence).toHaveAttribute('data-reason', 'running');
  await expect(sentence).toContainText(/Running attempt 1 for .+, now in terminal_exec/);
  await page.locator('[data-fact=slot_holder]').filter({ hasText: shortOf(second) }).getByTestId('fact-link').click();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', second);
  await app.rpc('jobs.cancel_many', { job_ids: [second, waiting] });
});

test('says why a job failed: a timeout names the node and its limit', async ({ page }) => {
  const jobId = await create(sleep(5, { timeout_ms: 200 }));
  await waitForJobState(app.rpc, jobId, ['failed']);
  await openApp(page, `${app.url}&job=${jobId}`);
  const sentence = page.getByTestId('explain-panel').getByTestId('state-explanation');
  await expect(sentence).toContainText('Failed: terminal_exec ran longer than its time limit of 200 ms and was stopped.');
  await expect(page.locator('[data-fact=time_limit]')).toContainText('200 ms');
  await screenshotBothThemes(page, 'explain-failed');
});
