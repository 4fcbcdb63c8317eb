/**
 * The job inspector on seeded history: the five tabs, reason explanations, evidence drawer,
 * hashes and redaction, actions allowed by the transition table, and the debug bundle export.
 */
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations, openApp, screenshotBothThemes } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 120 } });
});
test.afterAll(async () => {
  await app.stop();
});

async function openFirstJob(page: Page, hash: string): Promise<string> {
  await openApp(page, `${app.url}&${hash}`);
  const row = page.getByTestId('job-row').first();
  const jobId = (await row.getAttribute('data-job-id'))!;
  await row.click();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId);
  await expect(page.getByTestId('tabpanel-summary')).toBeVisible();
  return jobId;
}

test('shows every field, the reason in words, metrics, and passes axe on each tab', async ({ page }) => {
  // Every tab twice screenshot and once through axe: slow on a loaded machine, not stuck.
  test.slow();
  await openFirstJob(page, 'state=stalled');
  const fields = page.getByTestId('job-fields');
  for (const name of ['job_id', 'trace_id', 'workflow_run_id', 'job_kind', 'state', 'status_reason', 'error_message', 'protocol_id', 'profile_id', 'capability_profile_id', 'access_mode', 'safety_mode', 'entity_refs', 'planned_operations', 'created_at', 'updated_at', 'completed_at']) {
    await expect(fields.locator('dt', { hasText: new RegExp(`^${name}$`) })).toHaveCount(1);
  }
  await expect(page.getByTestId('state-explanation')).toContainText(/Stalled: the app stopped unexpectedly \(a crash or power loss\) while attempt 1 ran; its last heartbeat came .+ before startup recovery found it/);
  await expect(page.getByTestId('metrics-table')).toContainText('total_tokens');
  await expect(page.locator('.inspector time').first()).toHaveAttribute('title', /Z \(UTC\)$/);
  await screenshotBothThemes(page, 'inspector-summary');
  await expectNoSeriousA11yViolations(page);
  for (const tab of ['timeline', 'io', 'runs', 'policy']) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(`tabpanel-${tab}`)).toBeVisible();
    await screenshotBothThemes(page, `inspector-${tab}`);
    await expectNoSeriousA11yViolations(page);
  }
});

test('timeline tab lists the job events in order with a run waterfall, each opening the evidence drawer', async ({ page }) => {
  const jobId = await openFirstJob(page, 'state=stalled');
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('waterfall-run')).toHaveCount(1);
  await expect(page.locator('.waterfall-track .bar-queue')).toHaveCount(1);
  await expect(page.locator('.waterfall-track .bar-run')).toHaveCount(1);
  const times = await page.getByTestId('job-events').locator('time').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));
  expect(times.length).toBeGreaterThan(3);
  expect([...times].sort()).toEqual(times);
  await page.locator('[data-testid=event-item][data-event-type=workflow_recovery]').click();
  const drawer = page.getByTestId('evidence-drawer');
  await expect(drawer).toContainText('workflow_recovery');
  await expect(drawer.getByTestId('evidence-json')).toContainText('last_heartbeat_ts');
  await screenshotBothThemes(page, 'inspector-evidence');
  await drawer.getByTestId('evidence-open-trace').click();
  await expect(page.getByTestId('view-timeline')).toBeVisible();
  await expect(page.getByTestId('event-item').first()).toBeVisible();
  for (const id of await page.getByTestId('event-item').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-event-type')))) expect(id).toBeTruthy();
  expect(new URL(page.url()).hash).toContain('e_trace=');
  await page.goBack();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', jobId);
});

test('inputs and outputs show SHA-256 hashes and a JSON viewer redacted until revealed', async ({ page }) => {
  const created = await app.rpc<{ job_id: string }>('jobs.create', {
    job_kind: 'doc_summarize',
    protocol_id: 'hsk.docs.summarize.v0',
    job_inputs: { text: 'hello', instruction: 'short', max_tokens: 50, doc_id: '00000000-0000-4000-8000-0000000000d0' },
  });
  expect(created.ok).toBe(true);
  const jobId = created.ok ? created.data.job_id : '';
  await openApp(page, `${app.url}&job=${jobId}&tab=io`);
  await expect(page.getByTestId('job-inputs-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('job-inputs')).toContainText('instruction: "short"');
  const secretJob = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'x'], env: { API_KEY: 'sk-very-secret' } } });
  const secretId = secretJob.ok ? secretJob.data.job_id : '';
  await openApp(page, `${app.url}&job=${secretId}&tab=io`);
  const viewer = page.getByTestId('job-inputs');
  await expect(viewer).toContainText('[REDACTED]');
  await expect(viewer).not.toContainText('sk-very-secret');
  await viewer.getByTestId('job-inputs-reveal').click();
  await expect(viewer).toContainText('sk-very-secret');
});

test('offers only the actions the transition table allows, and never resume on a poisoned job', async ({ page }) => {
  await openFirstJob(page, 'state=poisoned');
  await expect(page.getByTestId('state-explanation')).toContainText('poisoned');
  await expect(page.getByTestId('action-resume')).toHaveCount(0);
  await expect(page.getByTestId('action-cancel')).toHaveCount(0);
  await expect(page.getByTestId('action-fail')).toHaveCount(0);
  await page.getByTestId('close-inspector').click();
  await openFirstJob(page, 'state=completed');
  // A finished job has no way out; it can only be run again as a new job.
  await expect(page.locator('[data-testid^=action-]:not([data-testid=action-rerun])')).toHaveCount(0);
  await expect(page.getByTestId('action-rerun')).toBeVisible();
});

test('cancels a stalled job after confirmation and shows the Flight Recorder event by a human', async ({ page }) => {
  const jobId = await openFirstJob(page, 'state=stalled&sort=created_at_asc');
  await expect(page.getByTestId('action-resume')).toBeVisible();
  await expect(page.getByTestId('action-fail')).toBeVisible();
  await page.getByTestId('action-cancel').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  await screenshotBothThemes(page, 'inspector-confirm');
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('action-reason').fill('e2e: no longer needed');
  await page.getByTestId('confirm-action').click();
  await expect(page.getByTestId('action-result')).toContainText('stalled → cancelled');
  await expect(page.getByTestId('action-result-actor')).toHaveText('human');
  await expect(page.getByTestId('job-inspector').getByTestId('state-badge').first()).toHaveText('cancelled');
  const stored = await app.rpc<{ state: string }>('jobs.get', { job_id: jobId });
  expect(stored.ok && stored.data.state).toBe('cancelled');
});

test('exports a debug bundle and shows where it was written', async ({ page }) => {
  await openFirstJob(page, 'state=completed');
  await page.getByTestId('export-bundle-button').click();
  await expect(page.getByTestId('export-status')).toHaveAttribute('data-state', /completed/);
  await expect(page.getByTestId('export-path')).toContainText('.zip');
});
