/**
 * The Timeline view: Flight Recorder events in a window, order, filters, live tail with pause,
 * evidence drawer, pinned slices, recovery events standing out, and missing evidence stated.
 */
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 80 } });
});
test.afterAll(async () => {
  await app.stop();
});

const eventTimes = (page: import('@playwright/test').Page) =>
  page.getByTestId('event-item').locator('time').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));

test('lists events newest first or oldest first, virtualised, and passes axe', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline`);
  await expect(page.getByTestId('event-item').first()).toBeVisible();
  const newest = await eventTimes(page);
  expect([...newest].sort().reverse()).toEqual(newest);
  expect(newest.length).toBeLessThan(80);
  await page.getByTestId('order-asc').click();
  await expect.poll(() => hashParams(page).get('e_order')).toBe('asc');
  await expect.poll(async () => {
    const oldest = await eventTimes(page);
    return oldest.length > 3 && JSON.stringify([...oldest].sort()) === JSON.stringify(oldest) && oldest[0]! < newest[0]!;
  }).toBe(true);
  await screenshotBothThemes(page, 'timeline');
  await expectNoSeriousA11yViolations(page);
});

test('filters by event type and actor, and recovery events stand out', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline`);
  await page.getByTestId('event-filter-type').locator('summary').click();
  await page.getByTestId('event-filter-type-workflow_recovery').check();
  await page.getByTestId('event-filter-type').locator('summary').click();
  await expect(page.getByTestId('event-item')).toHaveCount(2);
  for (const type of await page.getByTestId('event-item').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-event-type')))) expect(type).toBe('workflow_recovery');
  await expect(page.getByTestId('event-item').first()).toHaveClass(/event-recovery/);
  await page.getByTestId('event-filter-actor').selectOption('human');
  await expect(page.getByTestId('empty-state')).toContainText('No events');
  await page.getByTestId('clear-event-filters').click();
  await page.getByTestId('event-filter-actor').selectOption('human');
  await expect(page.getByTestId('event-item').first()).toBeVisible();
  for (const item of await page.getByTestId('event-item').locator('.actor').allTextContents()) expect(item).toBe('human');
});

test('opens the evidence drawer redacted by default, with the job one click away', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&e_type=workflow_recovery`);
  await page.getByTestId('event-item').first().click();
  const drawer = page.getByTestId('evidence-drawer');
  await expect(drawer).toContainText('workflow_recovery');
  // A recovery event holds no secret: the viewer says so instead of claiming a redaction.
  await expect(drawer.getByTestId('evidence-json-redaction')).toHaveText('Nothing to redact');
  await expect(drawer.getByTestId('evidence-json-reveal')).toHaveCount(0);
  expect(hashParams(page).get('event')).toBeTruthy();
  await screenshotBothThemes(page, 'timeline-evidence');
  await expectNoSeriousA11yViolations(page);
  await drawer.getByTestId('evidence-open-job').click();
  await expect(page.getByTestId('job-inspector')).toBeVisible();
  await expect(page.getByTestId('job-inspector').getByTestId('state-badge').first()).toHaveText('stalled');
});

test('a link to an event outside the loaded window still opens its evidence, loaded by id', async ({ page }) => {
  const recovered = await app.rpc<{ items: Array<{ event_id: string }> }>('events.list', { type: 'workflow_recovery', limit: 1 });
  const eventId = recovered.ok ? recovered.data.items[0]!.event_id : '';
  // The window shows only job_created events; the linked event is a workflow_recovery.
  await openApp(page, `${app.url}&view=timeline&e_type=job_created&event=${eventId}`);
  const drawer = page.getByTestId('evidence-drawer');
  await expect(drawer).toContainText('workflow_recovery');
  await expect(drawer.getByTestId('evidence-json')).toContainText(eventId);
  await drawer.getByTestId('close-evidence').click();
  await expect.poll(() => hashParams(page).get('event')).toBeNull();
});

test('tails new events live, holds them while paused, and releases them on resume', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&e_type=job_created`);
  await expect(page.getByTestId('event-item').first()).toBeVisible();
  const create = async (label: string) => {
    const created = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: `tail ${label}`, doc_id: '00000000-0000-4000-8000-0000000000d0' } });
    expect(created.ok).toBe(true);
    return created.ok ? created.data.job_id : '';
  };
  const live = await create('tail.live');
  await expect(page.getByTestId('event-item').first()).toContainText('created as doc_summarize');
  await expect(page.locator('[data-testid=event-item]').first()).toHaveAttribute('data-event-type', 'job_created');
  const countBefore = await page.getByTestId('events-list').getAttribute('data-row-count');
  await page.getByTestId('live-tail').click();
  await expect(page.getByTestId('live-state')).toHaveText('paused');
  await create('tail.paused');
  await expect(page.getByTestId('live-tail')).toHaveText(/Resume live tail \(1 new\)/);
  await expect(page.getByTestId('events-list')).toHaveAttribute('data-row-count', countBefore!);
  await page.getByTestId('live-tail').click();
  await expect(page.getByTestId('events-list')).toHaveAttribute('data-row-count', String(Number(countBefore) + 1));
  expect(live).toBeTruthy();
});

test('pins the current slice under a name and reopens it after a reload', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline&e_type=workflow_recovery&e_actor=system`);
  await page.getByTestId('pin-slice').click();
  await page.getByTestId('pin-name').fill('recoveries');
  await page.getByTestId('pin-save').click();
  await expect(page.getByTestId('pinned-slice')).toHaveText('recoveries');
  await openApp(page, `${app.url}&view=timeline`);
  await page.getByTestId('pinned-slice').click();
  await expect.poll(() => hashParams(page).get('e_type')).toBe('workflow_recovery');
  expect(hashParams(page).get('e_actor')).toBe('system');
  // The pinned window was closed at pin time, so it means the same events later.
  expect(hashParams(page).get('e_to')).toMatch(/Z$/);
  await expect(page.getByTestId('event-item')).toHaveCount(2);
});

test('says when events before the window were removed by retention instead of a silent gap', async ({ page }) => {
  const purgedBefore = '2026-01-01T00:00:00.000Z';
  // The seeded history is younger than the retention window, so the purge marker is added to the reply.
  await page.route('**/api/rpc/events.list', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; data: { purged_before: string | null } };
    if (body.ok) body.data.purged_before = purgedBefore;
    await route.fulfill({ response, json: body });
  });
  await openApp(page, `${app.url}&view=timeline`);
  const notice = page.getByTestId('retention-notice');
  await expect(notice).toContainText('were removed by retention (30 days)');
  await expect(notice.locator('time')).toHaveAttribute('datetime', purgedBefore);
  // A window that starts after the purge point has nothing missing.
  await openApp(page, `${app.url}&view=timeline&e_from=2026-02-01T00:00:00.000Z`);
  await expect(page.getByTestId('event-item').first().or(page.getByTestId('empty-state'))).toBeVisible();
  await expect(page.getByTestId('retention-notice')).toHaveCount(0);
});
