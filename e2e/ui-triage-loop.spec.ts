/**
 * The spec's triage loop end to end, without reading a log (§10.5): Problems filtered to error and
 * fatal -> Evidence Drawer -> related job and its Timeline slice -> Policy -> Export Debug Bundle
 * -> coder prompt. Every step is a click in the real UI on the real host.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AiJob } from '../src-shared/job';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { hashParams, openApp } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe();
});
test.afterAll(async () => {
  await app.stop();
});

test('triage loop: problem -> evidence -> job and timeline slice -> policy -> bundle -> coder prompt', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const created = await app.rpc<AiJob>('jobs.create', { job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', job_inputs: { path: 'reports/q3.md' }, entity_refs: [{ entity_kind: 'file', entity_id: 'reports/q3.md' }] });
  expect(created.ok).toBe(true);
  const job = created.ok ? created.data : (null as never);

  // 1. Problems, filtered to error and fatal.
  await openApp(page, `${app.url}&view=problems`);
  await page.getByTestId('problem-filter-triage').click();
  const row = page.getByTestId('problem-row').filter({ hasText: 'doc_ingest: file_not_found' });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-severity', 'error');

  // 2. Its evidence drawer: what, how often, linked how and why.
  await row.click();
  const drawer = page.getByTestId('problem-drawer');
  await expect(drawer.getByTestId('problem-message')).toContainText('reports/q3.md');
  await expect(drawer.getByTestId('why-linked')).toContainText(job.job_id);
  const fingerprint = (await drawer.getAttribute('data-fingerprint'))!;

  // 2b. An event the instance cites opens in the same Evidence Drawer; closing it returns to the problem.
  await drawer.getByTestId('problem-open-event').first().click();
  const cited = page.getByTestId('evidence-drawer');
  await expect(cited).toBeVisible();
  await expect(cited.getByTestId('evidence-open-job')).toContainText('Open job');
  await expect(page.getByTestId('problem-drawer')).toHaveCount(0);
  await cited.getByTestId('close-evidence').click();
  await expect(page.getByTestId('problem-drawer')).toHaveAttribute('data-fingerprint', fingerprint);

  // 3. The related job, on its Diagnostics tab.
  await drawer.getByTestId('problem-open-job').click();
  await expect(page.getByTestId('job-inspector')).toHaveAttribute('data-job-id', job.job_id);
  await expect(page.getByTestId('tabpanel-diagnostics').getByTestId('job-diagnostic')).toHaveAttribute('data-fingerprint', fingerprint);
  await page.goBack();

  // 3b. Its Timeline slice: the trace's events, the failing one in the evidence drawer.
  await page.getByTestId('problem-drawer').getByTestId('problem-open-timeline').click();
  await expect.poll(() => hashParams(page).get('e_trace')).toBe(job.trace_id);
  await expect(page.getByTestId('evidence-drawer')).toContainText('job_state_changed');
  const types = await page.getByTestId('event-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
  expect(types).toEqual(expect.arrayContaining(['job_created', 'capability_action', 'job_state_changed', 'diagnostic']));
  await page.goBack();

  // 4. Policy: the capability decisions that let the job run.
  await page.getByTestId('problem-drawer').getByTestId('problem-open-policy').click();
  await expect(page.getByTestId('tabpanel-policy').getByTestId('capability-row').first()).toBeVisible();
  await expect(page.getByTestId('capability-row').filter({ hasText: 'doc.read' }).getByTestId('capability-used')).toHaveText('allowed (used)');
  await page.goBack();

  // 5. Export the problem's debug bundle.
  await page.getByTestId('problem-drawer').getByTestId('problem-export-bundle-button').click();
  await expect(page.getByTestId('problem-export-status')).toHaveAttribute('data-state', 'completed');
  const zip = (await page.getByTestId('problem-export-path').locator('code').getAttribute('title'))!;
  const directory = zip.replace(/\.zip$/, '');
  const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'bundle_manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ scope: 'problem', fingerprint, included_job_ids: [job.job_id], redaction_mode: 'SAFE_DEFAULT' });

  // 6. The coder prompt: copied from the drawer, the same text the bundle carries.
  await page.getByTestId('problem-drawer').getByTestId('copy-coder-prompt').click();
  await expect(page.getByTestId('copy-coder-prompt-state')).toHaveText(/Copied/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^# Problem: doc_ingest: file_not_found/);
  expect(copied).toContain(job.job_id);
  expect(copied).not.toContain(app.dataDir);
  const bundled = fs.readFileSync(path.join(directory, 'coder_prompt.md'), 'utf8');
  expect(bundled.split('\n')[0]).toBe(copied.split('\n')[0]);
});
