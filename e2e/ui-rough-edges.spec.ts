/**
 * The rough edges a new user hit (issue 11, item 9): popovers that close, links that survive a
 * restart (no token in them, full state in nav links, a page saying where a fresh link is),
 * redaction that marks only what it removed, live durations, honest pressed/selected states, a
 * resizable inspector, tables that fit at 1024 px, and an app icon.
 */
import { createServer } from 'node:net';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes, waitForJobState } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 40 } });
});
test.afterAll(async () => {
  await app.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test('closes the filter popovers on Esc, an outside click and a row click', async ({ page }) => {
  await openApp(page, app.url);
  const state = page.getByTestId('filter-state');
  await state.locator('summary').click();
  await expect(state).toHaveAttribute('open', '');
  await page.keyboard.press('Escape');
  await expect(state).not.toHaveAttribute('open', '');
  await expect(state.locator('summary')).toBeFocused();
  const kind = page.getByTestId('filter-kind');
  await kind.locator('summary').click();
  await page.getByTestId('counts-total').click();
  await expect(kind).not.toHaveAttribute('open', '');
  await state.locator('summary').click();
  await page.getByTestId('job-row').first().click({ position: { x: 300, y: 10 } });
  await expect(state).not.toHaveAttribute('open', '');
  await expect(page.getByTestId('job-inspector')).toBeVisible();
});

test('keeps the token out of every link, and nav links carry the whole view state', async ({ page, browser }) => {
  await openApp(page, `${app.url}&state=failed`);
  expect(hashParams(page).get('token')).toBeNull();
  await page.getByTestId('job-row').first().click();
  const jobId = hashParams(page).get('job');
  const href = await page.getByTestId('nav-timeline').getAttribute('href');
  const state = new URLSearchParams(href!.slice(1));
  expect(state.get('view')).toBe('timeline');
  expect(state.get('state')).toBe('failed');
  expect(state.get('job')).toBe(jobId);
  expect(href).not.toContain(app.token);

  // A link opened where no session exists says where a fresh address is, then opens that view.
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.setViewportSize({ width: 1400, height: 860 });
  await other.goto(page.url());
  await expect(other.getByTestId('session-gone')).toContainText('Handshake inspector listening at http://127.0.0.1:PORT/#token=');
  await screenshotBothThemes(other, 'session-ended');
  await expectNoSeriousA11yViolations(other);
  await other.getByTestId('fresh-link').fill('http://127.0.0.1:1/#token=0000');
  await other.getByTestId('fresh-link-open').click();
  await expect(other.getByRole('alert')).toContainText('neither the printed address');
  await other.getByTestId('fresh-link').fill(app.url);
  await other.getByTestId('fresh-link-open').click();
  await expect(other.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId!);
  expect(hashParams(other).get('token')).toBeNull();
  await stranger.close();
});

test('a copied link survives a restart of the inspector: a fresh address brings its view back', async ({ page }) => {
  const port = await freePort();
  const first = await startServe({ port });
  let second: ServeHandle | null = null;
  try {
    await openApp(page, `${first.url}&view=timeline&e_order=asc`);
    await first.stop();
    // The same address, a new process: a new token, and the page's session is gone with the old one.
    second = await startServe({ port });
    expect(second.token).not.toBe(first.token);
    await page.reload();
    await expect(page.getByTestId('session-gone')).toBeVisible();
    await page.getByTestId('fresh-link').fill(second.url);
    await page.getByTestId('fresh-link-open').click();
    await expect(page.getByTestId('view-timeline')).toBeVisible();
    expect(hashParams(page).get('e_order')).toBe('asc');
  } finally {
    await second?.stop();
  }
});

test('redaction marks only what it removed: token counts stay readable, a secret is masked', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&e_type=llm_inference`);
  await page.getByTestId('event-item').first().click();
  const viewer = page.getByTestId('evidence-json');
  await expect(viewer).toContainText('token_usage');
  await expect(viewer).toContainText(/total_tokens: \d+/);
  await expect(viewer).not.toContainText('[REDACTED]');
  await expect(page.getByTestId('evidence-json-redaction')).toHaveText('Nothing to redact');
  const secret = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'x'], env: { API_KEY: 'sk-top-secret-1' } } });
  await openApp(page, `${app.url}&job=${secret.ok ? secret.data.job_id : ''}&tab=io`);
  await expect(page.getByTestId('job-inputs-redaction')).toHaveText('Redacted: 1 secret value masked');
  await expect(page.getByTestId('job-inputs')).not.toContainText('sk-top-secret-1');
});

test('a running job’s duration counts up live, and the cursor row is the selected one', async ({ page }) => {
  const created = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['sleep', '30'] } });
  const jobId = created.ok ? created.data.job_id : '';
  await waitForJobState(app.rpc, jobId, ['running']);
  await openApp(page, app.url);
  const duration = page.locator(`[data-testid=job-row][data-job-id="${jobId}"]`).getByTestId('job-duration');
  await expect(duration).toHaveText(/^\d+(\.\d)? s$/);
  const first = await duration.textContent();
  await expect(duration).not.toHaveText(first!);
  await app.rpc('jobs.cancel', { job_id: jobId });

  await page.keyboard.press('j');
  await page.keyboard.press('j');
  const rows = page.getByTestId('job-row');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'false');
  await page.getByTestId('nav-timeline').click();
  await expect(page.getByTestId('live-tail')).not.toHaveAttribute('aria-pressed', /.*/);
  await expect(page.getByTestId('live-tail')).toHaveText('Pause live tail');
});

test('resizes the inspector by keyboard and by dragging, and remembers the width', async ({ page }) => {
  await openApp(page, app.url);
  await page.getByTestId('job-row').first().click();
  const inspector = page.getByTestId('job-inspector');
  const width = async () => (await inspector.boundingBox())!.width;
  const before = await width();
  const splitter = page.getByTestId('inspector-splitter');
  await splitter.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(width).toBeCloseTo(before + 48, -1);
  const box = (await splitter.boundingBox())!;
  await page.mouse.move(box.x + 3, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 103, box.y + 200, { steps: 5 });
  await page.mouse.up();
  await expect.poll(width).toBeCloseTo(before - 52, -1);
  await expect(splitter).toHaveAttribute('aria-valuenow', String(Math.round(await width())));
  await page.reload();
  await expect.poll(width).toBeCloseTo(before - 52, -1);
  await expectNoSeriousA11yViolations(page);
});

test('fits the jobs grid and the runs table at 1024 px', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`${app.url}&state=stalled`);
  await page.getByTestId('job-row').first().click();
  await page.getByTestId('tab-runs').click();
  const overflows = (selector: string) => page.locator(selector).first().evaluate((element) => element.scrollWidth - element.clientWidth);
  await expect(page.getByTestId('run-card').first()).toBeVisible();
  expect(await overflows('[data-testid=jobs-grid]')).toBeLessThanOrEqual(0);
  expect(await overflows('[data-testid=run-card]')).toBeLessThanOrEqual(0);
  await screenshotBothThemes(page, 'inspector-runs-1024');
  await expectNoSeriousA11yViolations(page);
});

test('has an app icon: the page links it and the host serves it, with no 404 on load', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await openApp(page, app.url);
  await expect(page.locator('link[rel=icon]')).toHaveAttribute('href', /favicon\.svg$/);
  const icon = await request.get(`${app.baseUrl}favicon.svg`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
  const png = await request.get(`${app.baseUrl}icon.png`);
  expect(png.headers()['content-type']).toBe('image/png');
  expect(errors).toEqual([]);
});
