/**
 * Submit dialog validation and errors, the status bar, and qualities a user notices: theme
 * toggle over the system preference, times with UTC on hover, copy buttons, empty states.
 */
import { expect, test } from './fixtures/app';
import { expectNoSeriousA11yViolations, openApp, screenshotBothThemes } from './ui-support';

test('validates job inputs locally and shows API errors next to the named field', async ({ app, page }) => {
  await openApp(page, app.url);
  await page.getByTestId('new-job').click();
  await expect(page.getByTestId('submit-dialog')).toBeVisible();
  await screenshotBothThemes(page, 'submit-dialog');
  await expectNoSeriousA11yViolations(page);

  let requests = 0;
  page.on('request', (request) => {
    if (request.url().includes('/api/rpc/jobs.create')) requests += 1;
  });
  await page.getByTestId('submit-inputs').fill('{"argv": [');
  await page.getByTestId('submit-job').click();
  await expect(page.getByTestId('submit-error-job_inputs')).toContainText('not valid JSON');
  await expect(page.getByTestId('submit-inputs')).toHaveAttribute('aria-invalid', 'true');
  expect(requests).toBe(0);

  // Valid JSON the executor-independent schema accepts, but too deep for the API's payload limit.
  let deep: unknown = 'x';
  for (let level = 0; level < 40; level += 1) deep = { level: deep };
  await page.getByTestId('submit-inputs').fill(JSON.stringify(deep));
  await page.getByTestId('submit-job').click();
  await expect(page.getByTestId('submit-error-job_inputs')).toContainText('nested deeper');
  expect(requests).toBe(0);

  // The server refuses a protocol id longer than it allows; the message lands beside that field.
  await page.getByTestId('submit-inputs').fill('{"argv": ["echo", "ok"]}');
  await page.route('**/api/rpc/jobs.create', (route) =>
    route.fulfill({ json: { ok: false, error: { code: 'HSK-400-INVALID-INPUT', message: 'Invalid input for jobs.create', details: { issues: [{ path: 'protocol_id', message: 'protocol is not registered' }] } } } }),
  );
  await page.getByTestId('submit-job').click();
  await expect(page.getByTestId('submit-error-protocol_id')).toHaveText('protocol is not registered');
  await expect(page.getByTestId('submit-dialog')).toBeVisible();
});

test('the status bar shows recovery state and the retention window', async ({ app, page }) => {
  await openApp(page, app.url);
  const bar = page.getByRole('contentinfo', { name: 'Status' });
  await expect(page.getByTestId('recovery-status')).toHaveText('Ready');
  await expect(bar).toContainText('retention: 30 days');
  await expect(bar).toContainText('model runtime');
  await expect(page.getByTestId('recovery-banner')).toHaveCount(0);
});

test('follows the system colour scheme and a toggle overrides it', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, app.url);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  expect(dark).not.toBe(light);
  const toggle = page.getByTestId('theme-toggle');
  await expect(toggle).toHaveText('Theme: system');
  await toggle.click();
  await expect(toggle).toHaveText('Theme: light');
  await toggle.click();
  await expect(toggle).toHaveText('Theme: dark');
  expect(await background()).toBe(dark);
  await page.reload();
  await expect(page.getByTestId('theme-toggle')).toHaveText('Theme: dark');
  expect(await background()).toBe(dark);
  await expectNoSeriousA11yViolations(page);
});

test('shows local times with UTC on hover, copy buttons for ids, and a readable empty state', async ({ app, page }) => {
  await app.rpc('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'q', doc_id: '00000000-0000-4000-8000-0000000000d0' } });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, app.url);
  const row = page.getByTestId('job-row').first();
  const created = row.locator('time').first();
  const utc = await created.getAttribute('datetime');
  await expect(created).toHaveAttribute('title', `${utc} (UTC)`);
  expect(await created.textContent()).not.toContain('Z');
  await row.click();
  const jobId = await row.getAttribute('data-job-id');
  await page.getByRole('button', { name: 'Copy job id' }).first().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(jobId);
  await page.getByTestId('job-search').fill('nothing-matches-this-query');
  await expect(page.getByTestId('empty-state')).toHaveText('No jobs match these filters.');
  await screenshotBothThemes(page, 'jobs-empty');
});
