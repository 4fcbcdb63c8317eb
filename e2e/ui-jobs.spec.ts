/**
 * Jobs view on seeded history: a virtualised list paged as it scrolls, filters and selection in the
 * URL (back/forward), sort, server-side text search, live updates that keep scroll and selection,
 * and the keyboard.
 */
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 600 } });
});
test.afterAll(async () => {
  await app.stop();
});

test('renders only the visible rows and fetches the next page while scrolling', async ({ page }) => {
  await openApp(page, app.url);
  const grid = page.getByTestId('jobs-grid');
  await expect(grid).toHaveAttribute('data-row-count', /^[1-9]\d*$/);
  const firstCount = Number(await grid.getAttribute('data-row-count'));
  const rendered = await page.getByTestId('job-row').count();
  expect(rendered).toBeLessThan(80);
  await page.getByTestId('jobs-grid').evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect.poll(async () => Number(await grid.getAttribute('data-row-count'))).toBeGreaterThan(firstCount);
  expect(await page.getByTestId('job-row').count()).toBeLessThan(80);
  await screenshotBothThemes(page, 'jobs-list');
  await expectNoSeriousA11yViolations(page);
});

test('keeps filters and the selected job in the URL, and back/forward restore them', async ({ page }) => {
  await openApp(page, app.url);
  await page.getByTestId('filter-state').locator('summary').click();
  await page.getByTestId('filter-state-failed').check();
  await expect(page.getByTestId('job-row').first().getByTestId('state-badge')).toHaveText('failed');
  for (const badge of await page.getByTestId('state-badge').allTextContents()) expect(badge).toBe('failed');
  expect(hashParams(page).get('state')).toBe('failed');
  // The page traded the token for a session cookie: the address (and any copy of it) has none.
  expect(hashParams(page).get('token')).toBeNull();

  const row = page.getByTestId('job-row').nth(1);
  const jobId = await row.getAttribute('data-job-id');
  await row.click();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId!);
  expect(hashParams(page).get('job')).toBe(jobId);

  // A copied URL reopens the same view.
  const copied = page.url();
  const other = await page.context().newPage();
  await openApp(other, copied);
  await expect(other.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId!);
  await expect(other.getByTestId('filter-state').locator('summary')).toHaveText(/State \(1\)/);
  await other.close();

  await page.goBack();
  await expect(page.getByTestId('job-inspector')).toBeHidden();
  await page.goBack();
  await expect.poll(() => hashParams(page).get('state')).toBeNull();
  await page.goForward();
  await page.goForward();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId!);
});

test('filters by kind from the canonical list and searches text on the server', async ({ page }) => {
  await openApp(page, app.url);
  await page.getByTestId('filter-kind').locator('summary').click();
  await page.getByTestId('filter-kind-terminal_exec').check();
  await expect(page.getByTestId('job-row').first().getByTestId('job-kind')).toHaveText('terminal_exec');
  for (const kind of await page.getByTestId('job-kind').allTextContents()) expect(kind).toBe('terminal_exec');
  await page.getByTestId('filter-kind-terminal_exec').uncheck();
  await page.getByTestId('filter-kind').locator('summary').click();
  await page.getByTestId('job-search').fill('uname');
  await expect.poll(() => hashParams(page).get('q')).toBe('uname');
  await expect(page.getByTestId('job-row').first()).toBeVisible();
  for (const kind of await page.getByTestId('job-kind').allTextContents()) expect(['terminal_exec', 'workflow_run', 'debug_bundle_export']).toContain(kind);

  await page.getByTestId('job-search').fill('no-such-words-anywhere-xyz');
  await expect(page.getByTestId('empty-state')).toContainText('No jobs match');
});

test('sorts by updated time and toggles the direction', async ({ page }) => {
  await openApp(page, app.url);
  await page.getByTestId('sort-updated_at').click();
  await expect.poll(() => hashParams(page).get('sort')).toBe('updated_at_desc');
  const times = async () =>
    page.locator('[data-testid=job-row] [role=gridcell].col-updated time').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));
  await expect.poll(async () => (await times()).length).toBeGreaterThan(5);
  const descending = await times();
  expect([...descending].sort().reverse()).toEqual(descending);
  await page.getByTestId('sort-updated_at').click();
  await expect.poll(() => hashParams(page).get('sort')).toBe('updated_at_asc');
  await expect.poll(async () => {
    const ascending = await times();
    return ascending.length > 5 && JSON.stringify([...ascending].sort()) === JSON.stringify(ascending);
  }).toBe(true);
});

test('shows a new job live without moving the scroll position or losing the selection', async ({ page }) => {
  await openApp(page, app.url);
  const scroll = page.getByTestId('jobs-grid');
  await expect(page.getByTestId('job-row').nth(20)).toBeAttached();
  await scroll.evaluate((element) => element.scrollTo(0, 340));
  const selected = page.getByTestId('job-row').nth(14);
  const selectedId = await selected.getAttribute('data-job-id');
  await selected.click();
  await expect(page.getByTestId('tabpanel-summary')).toBeVisible();
  const selectedRow = page.locator(`[data-testid=job-row][data-job-id="${selectedId}"]`);
  // Position inside the scrolling list: what the person sees move, if anything moves.
  const offsetInList = () =>
    selectedRow.evaluate((row) => row.getBoundingClientRect().top - row.closest('[data-testid=jobs-grid]')!.getBoundingClientRect().top);
  const before = await offsetInList();
  const created = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'live', doc_id: '00000000-0000-4000-8000-0000000000d0' } });
  expect(created.ok).toBe(true);
  const newId = created.ok ? created.data.job_id : '';
  await expect(page.locator(`[data-testid=job-row][data-job-id="${newId}"]`)).toBeAttached();
  expect(Math.abs((await offsetInList()) - before)).toBeLessThan(2);
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', selectedId!);
  await expect(page.locator(`[data-testid=job-row][data-job-id="${selectedId}"]`)).toHaveAttribute('aria-selected', 'true');
});

test('moves with j/k, opens with Enter, focuses search with / and closes with Esc', async ({ page }) => {
  await openApp(page, app.url);
  await expect(page.getByTestId('job-row').nth(3)).toBeAttached();
  const ids = await page.getByTestId('job-row').evaluateAll((nodes) => nodes.slice(0, 3).map((node) => node.getAttribute('data-job-id')));
  // j, j, k, down: the cursor ends on the second row.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', ids[1]!);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('job-inspector')).toBeHidden();
  await page.keyboard.press('/');
  await expect(page.getByTestId('job-search')).toBeFocused();
});
