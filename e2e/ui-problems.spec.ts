/**
 * The third console and its entry points, in the real UI on the real host: the Problems view
 * (grouped by fingerprint, filters, statuses, raw instances, evidence drawer with "why linked?"),
 * the Diagnostics tab, the policy simulator, the four export entry points, and a deep link that
 * does not resolve. Each view passes axe and is screenshot in both themes.
 */
import type { Page } from '@playwright/test';
import type { AiJob } from '../src-shared/job';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, hashParams, openApp, screenshotBothThemes } from './ui-support';

let app: ServeHandle;
let asrJobs: AiJob[];
let missingFileJob: AiJob;

async function createJob(input: Record<string, unknown>): Promise<AiJob> {
  const envelope = await app.rpc<AiJob>('jobs.create', input);
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.data;
}

/** Waits for the engine to end a job (a milestone the API reports), never for a fixed time. */
async function settled(job: AiJob): Promise<AiJob> {
  let current = job;
  await expect.poll(async () => {
    const envelope = await app.rpc<AiJob>('jobs.get', { job_id: job.job_id });
    if (envelope.ok) current = envelope.data;
    return current.state;
  }).toBe('failed');
  return current;
}

test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 40 } });
  // Two jobs failing the same way (no executor for asr_transcribe) and one failing another way.
  asrJobs = await Promise.all([1, 2].map(() => createJob({ job_kind: 'asr_transcribe', protocol_id: 'hsk.asr.transcribe.v0', job_inputs: { path: 'a.wav' } })));
  missingFileJob = await createJob({ job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', job_inputs: { path: 'no-such-file.md' }, entity_refs: [{ entity_kind: 'file', entity_id: 'no-such-file.md' }] });
  asrJobs = await Promise.all(asrJobs.map(settled));
  missingFileJob = await settled(missingFileJob);
});
test.afterAll(async () => {
  await app.stop();
});

const problemRow = (page: Page, title: string) => page.getByTestId('problem-row').filter({ hasText: title });
const ASR_TITLE = 'asr_transcribe: no executor for this kind';

/** How many instances the problem with `title` has (the seeded history has some of its own). */
async function countOf(title: string): Promise<number> {
  const envelope = await app.rpc<{ items: Array<{ title: string; count: number }> }>('problems.list', { limit: 500 });
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.data.items.find((problem) => problem.title === title)?.count ?? 0;
}

test('Problems: grouped by fingerprint with count and times, filters in the URL, axe-clean in both themes', async ({ page }) => {
  await openApp(page, `${app.url}&view=problems`);
  const asr = problemRow(page, ASR_TITLE);
  await expect(asr).toHaveCount(1);
  const count = await countOf(ASR_TITLE);
  expect(count).toBeGreaterThanOrEqual(2);
  await expect(asr.getByTestId('problem-count')).toHaveText(String(count));
  await expect(asr.locator('time')).toHaveCount(2);
  await expect(asr.getByTestId('link-confidence')).toHaveText('direct');
  // Seeded history: interrupted runs recovered at launch are problems too.
  await expect(page.getByTestId('problem-row').filter({ hasText: 'recovered as stalled' }).first()).toBeVisible();
  await screenshotBothThemes(page, 'problems');
  await expectNoSeriousA11yViolations(page);

  await page.getByTestId('problem-filter-triage').click();
  await expect.poll(() => hashParams(page).get('p_sev')).toBe('fatal,error');
  await expect(page.getByTestId('problem-row').filter({ hasText: 'recovered as stalled' })).toHaveCount(0);
  for (const severity of await page.getByTestId('problem-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-severity')))) {
    expect(['fatal', 'error']).toContain(severity);
  }
  await page.getByTestId('problem-filter-job').fill(missingFileJob.job_id);
  await page.getByTestId('problem-filter-job').press('Enter');
  await expect(page.getByTestId('problem-row')).toHaveCount(1);
  await expect(page.getByTestId('problem-row')).toContainText('doc_ingest');
  await page.getByTestId('clear-problem-filters').click();
  await expect(asr).toHaveCount(1);
});

test('selecting a problem opens its evidence: why linked, raw instances, statuses as events', async ({ page }) => {
  await openApp(page, `${app.url}&view=problems`);
  await problemRow(page, 'asr_transcribe: no executor for this kind').click();
  const drawer = page.getByTestId('problem-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('why-linked')).toContainText(/Why linked\? Linked directly: recorded by the job's own run/);
  await expect(drawer.getByTestId('problem-instance')).toHaveCount(await countOf(ASR_TITLE));
  // Each raw instance is one click away: the newest two are the two jobs created here.
  const jsonText = async () => (await drawer.getByTestId('problem-json').textContent()) ?? '';
  const first = await jsonText();
  await drawer.getByTestId('problem-instance').nth(1).click();
  await expect.poll(jsonText).not.toBe(first);
  const second = await jsonText();
  const jobsIn = (text: string) => asrJobs.map((job) => job.job_id).filter((id) => text.includes(id));
  expect([...jobsIn(first), ...jobsIn(second)].sort()).toEqual(asrJobs.map((job) => job.job_id).sort());
  await screenshotBothThemes(page, 'problems-drawer');
  await expectNoSeriousA11yViolations(page);

  await drawer.getByTestId('set-status-acknowledged').click();
  await expect(drawer.getByTestId('problem-drawer-status')).toHaveText('acknowledged');
  await expect(problemRow(page, 'asr_transcribe: no executor').getByTestId('problem-status')).toHaveText('acknowledged');
  const events = await app.rpc<{ items: Array<{ actor: string; payload: Record<string, unknown> }> }>('events.list', { type: 'problem_status_changed' });
  expect(events.ok && events.data.items[0]).toMatchObject({ actor: 'human', payload: { from_status: 'open', to_status: 'acknowledged' } });
  await drawer.getByTestId('set-status-open').click();
  await expect(drawer.getByTestId('problem-drawer-status')).toHaveText('open');
});

test('the job inspector has a Diagnostics tab that opens the problem', async ({ page }) => {
  await openApp(page, `${app.url}&job=${missingFileJob.job_id}&tab=diagnostics`);
  const item = page.getByTestId('job-diagnostic');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('doc_ingest');
  await screenshotBothThemes(page, 'inspector-diagnostics');
  await expectNoSeriousA11yViolations(page);
  await item.click();
  await expect(page.getByTestId('view-problems')).toBeVisible();
  await expect(page.getByTestId('problem-drawer')).toContainText('doc_ingest');
});

test('the Policy tab shows declared, granted and used capabilities, and the simulator answers and logs', async ({ page }) => {
  // Two screenshots and an axe run of the longest tab: slow on a loaded machine, not stuck.
  test.slow();
  await openApp(page, `${app.url}&job=${missingFileJob.job_id}&tab=policy`);
  const fsRead = page.getByTestId('capability-row').filter({ has: page.locator('code', { hasText: /^fs\.read$/ }) });
  await expect(fsRead.getByTestId('capability-used')).toHaveText('allowed (used)');
  await page.getByTestId('sim-kind').selectOption('terminal_exec');
  await page.getByTestId('sim-protocol').fill('hsk.terminal.exec.v0');
  await page.getByTestId('sim-access').selectOption('preview_only');
  await page.getByTestId('sim-capability').selectOption('terminal.exec');
  await page.getByTestId('sim-run').click();
  const answer = page.getByTestId('sim-answer');
  await expect(answer).toHaveAttribute('data-outcome', 'deny');
  await expect(answer).toContainText('apply_scoped');
  await page.getByTestId('sim-access').selectOption('apply_scoped');
  await page.getByTestId('sim-run').click();
  await expect(answer).toHaveAttribute('data-outcome', 'allow');
  await screenshotBothThemes(page, 'inspector-policy-simulator');
  await expectNoSeriousA11yViolations(page);
  const logged = await app.rpc<{ items: Array<{ actor: string; payload: Record<string, unknown> }> }>('events.list', { type: 'policy_simulation', order: 'asc' });
  expect(logged.ok && logged.data.items.map((event) => [event.actor, event.payload.decision_outcome])).toEqual([
    ['human', 'deny'],
    ['human', 'allow'],
  ]);
});

/** Waits until the toast (or status) reports a written bundle and returns its path. */
async function exportedPath(page: Page, statusId: string, pathId: string): Promise<string> {
  await expect(page.getByTestId(statusId)).toHaveAttribute('data-state', /^completed/);
  return (await page.getByTestId(pathId).locator('code').getAttribute('title')) ?? '';
}

test('export entry points: Problems row menu, Jobs row menu, Timeline "Export time range", Evidence Drawer', async ({ page }) => {
  // Four exports, each awaited until written.
  test.slow();
  await openApp(page, `${app.url}&view=problems`);
  await problemRow(page, 'asr_transcribe: no executor').click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('menu-export-problem').click();
  expect(await exportedPath(page, 'export-toast', 'export-toast-path')).toMatch(/\.zip$/);
  await page.getByRole('button', { name: 'Dismiss export status' }).click();

  await page.getByTestId('nav-jobs').click();
  await page.locator(`[data-testid=job-row][data-job-id="${missingFileJob.job_id}"]`).click({ button: 'right' });
  await screenshotBothThemes(page, 'jobs-row-menu');
  await page.getByTestId('menu-export-job').click();
  expect(await exportedPath(page, 'export-toast', 'export-toast-path')).toMatch(/\.zip$/);
  await page.getByRole('button', { name: 'Dismiss export status' }).click();

  await page.getByTestId('nav-timeline').click();
  await page.getByTestId('export-time-range').click();
  expect(await exportedPath(page, 'export-toast', 'export-toast-path')).toMatch(/\.zip$/);
  await page.getByRole('button', { name: 'Dismiss export status' }).click();
  await page.getByTestId('event-item').first().click();
  await page.getByTestId('evidence-export-bundle-button').click();
  expect(await exportedPath(page, 'evidence-export-status', 'evidence-export-path')).toMatch(/\.zip$/);

  const exports = await app.rpc<{ items: Array<{ payload: { scope: string } }> }>('events.list', { type: 'debug_bundle_export', order: 'asc' });
  // The seeded history exported bundles of its own before these four.
  expect(exports.ok && exports.data.items.slice(-4).map((event) => event.payload.scope)).toEqual(['problem', 'job', 'time_window', expect.stringMatching(/^(job|time_window)$/)]);
});

test('a deep link to a job that does not exist surfaces as a problem, not an empty pane', async ({ page }) => {
  const missing = '00000000-0000-4000-8000-00000000dead';
  await openApp(page, `${app.url}&job=${missing}`);
  const notice = page.getByTestId('deep-link-failed');
  await expect(notice).toContainText(missing);
  await expectNoSeriousA11yViolations(page);
  await notice.getByTestId('deep-link-open-problem').click();
  await expect(page.getByTestId('problem-drawer')).toContainText('navigation: deep link to a job did not resolve');
  await expect(page.getByTestId('problem-drawer').getByTestId('why-linked')).toContainText('Not linked to any job');
});
