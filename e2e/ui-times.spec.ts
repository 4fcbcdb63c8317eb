/**
 * Times that agree (issue 11, item 8): on the seeded history, the Duration a job shows equals the
 * run its Timeline draws, and a resumed attempt's queue time starts at the resume.
 */
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { openApp, screenshotBothThemes, waitForJobState } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 60 } });
});
test.afterAll(async () => {
  await app.stop();
});

/** "850 ms", "4.2 s", "2 min 5 s" back to milliseconds (to the precision shown). */
function parseDuration(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  for (const [, value, unit] of text.matchAll(/([\d.]+) (ms|s|min|h|d)\b/g)) total += Number(value) * units[unit!]!;
  return total;
}

test('shows the same run time in the list, the metrics and the waterfall', async ({ page }) => {
  const listed = await app.rpc<{ items: Array<{ job_id: string; metrics: { duration_ms: number } }> }>('jobs.list', { state: ['completed'], job_kind: ['terminal_exec'], limit: 5 });
  const jobs = listed.ok ? listed.data.items : [];
  expect(jobs.length).toBeGreaterThan(0);
  for (const job of jobs) {
    await openApp(page, `${app.url}&job=${job.job_id}&tab=timeline`);
    const row = page.locator(`[data-testid=job-row][data-job-id="${job.job_id}"]`);
    const label = page.getByTestId('waterfall-run').locator('.waterfall-label').first();
    await expect(label).toContainText('ran');
    const ran = /ran (.+)$/.exec((await label.textContent()) ?? '')?.[1] ?? '';
    await expect(row.getByTestId('job-duration')).toHaveText(ran);
    const runs = await app.rpc<{ items: Array<{ created_at: string; finished_at: string }> }>('runs.list', { job_id: job.job_id });
    const run = runs.ok ? runs.data.items[0]! : null;
    expect(job.metrics.duration_ms).toBe(Date.parse(run!.finished_at) - Date.parse(run!.created_at));
  }
});

test('measures a resumed attempt’s queue time from the resume, not from the stalled attempt’s heartbeat', async ({ page }) => {
  const stalled = await app.rpc<{ items: Array<{ job_id: string }> }>('jobs.list', { state: ['stalled'], text: 'make' });
  const jobId = stalled.ok ? stalled.data.items[0]!.job_id : '';
  await openApp(page, `${app.url}&job=${jobId}&tab=timeline`);
  await page.getByTestId('action-resume').click();
  await page.getByTestId('confirm-action').click();
  // `make test` has no Makefile here: the second attempt ends at once.
  await waitForJobState(app.rpc, jobId, ['failed']);
  const attempts = page.getByTestId('waterfall-run');
  await expect(attempts).toHaveCount(2);
  // The stalled attempt's node stopped when its run did (its last heartbeat), not when recovery found it.
  const stalledRun = (await attempts.nth(0).locator('.waterfall-label').first().textContent()) ?? '';
  const stalledNode = (await attempts.nth(0).locator('.node-label').first().textContent()) ?? '';
  expect(/· ([^·]+)$/.exec(stalledNode)?.[1]?.trim()).toBe(/ran (.+)$/.exec(stalledRun)?.[1]?.trim());
  const second = (await attempts.nth(1).locator('.waterfall-label').first().textContent()) ?? '';
  const queued = parseDuration(/queued (.+?) ·/.exec(second)?.[1] ?? '');
  const runs = await app.rpc<{ items: Array<{ last_heartbeat: string; created_at: string }> }>('runs.list', { job_id: jobId });
  const [first, again] = runs.ok ? runs.data.items : [];
  const sinceHeartbeat = Date.parse(again!.created_at) - Date.parse(first!.last_heartbeat);
  // The stalled attempt's heartbeat is minutes older than the resume; the queue time is not.
  expect(sinceHeartbeat).toBeGreaterThan(2 * 60_000);
  expect(queued).toBeLessThan(30_000);
  await screenshotBothThemes(page, 'inspector-resumed-waterfall');
});
