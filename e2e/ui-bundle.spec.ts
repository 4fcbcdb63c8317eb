/**
 * Debug bundles out of and back into the inspector: the ZIP offered as a download when exporting
 * from the browser, "Open bundle" by file picker and by drag-and-drop, `npm run serve -- --bundle`,
 * each file's SHA-256 checked against the manifest, a tampered bundle flagged file by file, and
 * nothing written to a data dir.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import type { AiJob } from '../src-shared/job';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, openApp, screenshotBothThemes } from './ui-support';

let app: ServeHandle;
let workDir: string;
let target: AiJob;
let bundlePath: string;
let tamperedPath: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 20 } });
  workDir = mkdtempSync(join(tmpdir(), 'hsk-e2e-bundles-'));
  const completed = await app.rpc<{ items: AiJob[] }>('jobs.list', { state: 'completed', job_kind: 'doc_summarize', limit: 1 });
  if (!completed.ok || !completed.data.items[0]) throw new Error('no completed job in the seed');
  target = completed.data.items[0];
});
test.afterAll(async () => {
  await app.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function jobCount(): Promise<number> {
  const list = await app.rpc<{ items: unknown[] }>('jobs.list', { limit: 500 });
  return list.ok ? list.data.items.length : -1;
}

async function openFromDialog(page: Page, put: () => Promise<void>): Promise<Page> {
  await page.getByTestId('open-bundle').click();
  await expect(page.getByTestId('open-bundle-dialog')).toBeVisible();
  await put();
  const link = page.getByTestId('open-bundle-link');
  await expect(link).toBeVisible();
  const [view] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await expect(view.getByTestId('bundle-banner')).toBeVisible();
  return view;
}

test('exporting from the browser offers the ZIP as a download, byte for byte the file written', async ({ page }) => {
  await openApp(page, `${app.url}&job=${target.job_id}`);
  await page.getByTestId('export-bundle-button').click();
  await expect(page.getByTestId('export-status')).toHaveAttribute('data-state', 'completed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-bundle').click()]);
  expect(download.suggestedFilename()).toMatch(/^handshake-bundle-[0-9a-f-]{36}\.zip$/);
  bundlePath = join(workDir, download.suggestedFilename());
  await download.saveAs(bundlePath);
  const exportId = download.suggestedFilename().slice('handshake-bundle-'.length, -'.zip'.length);
  expect(readFileSync(bundlePath).equals(readFileSync(join(app.dataDir, 'bundles', `${exportId}.zip`)))).toBe(true);

  const entries = unzipSync(new Uint8Array(readFileSync(bundlePath)));
  entries['runs.json'] = strToU8(new TextDecoder().decode(entries['runs.json']).replace(/"completed"/, '"failed"'));
  entries['notes.txt'] = strToU8('added after export');
  tamperedPath = join(workDir, 'tampered.zip');
  writeFileSync(tamperedPath, zipSync(entries));
});

test('"Open bundle" with the file picker shows the bundle read-only, verified, and writes nothing here', async ({ page }) => {
  const jobsBefore = await jobCount();
  const bundlesBefore = readdirSync(join(app.dataDir, 'bundles')).sort();
  await openApp(page, app.url);
  const view = await openFromDialog(page, () => page.getByTestId('bundle-file-input').setInputFiles(bundlePath));
  await expect(page.getByTestId('open-bundle-result')).toHaveAttribute('data-tampered', 'false');
  await expect(view.getByTestId('bundle-banner')).toHaveAttribute('data-tampered', 'false');
  await expect(view.getByTestId('bundle-verdict')).toHaveText('Every file matches its SHA-256 in the manifest.');
  await expect(view.getByTestId('bundle-banner')).toContainText(`Debug bundle ${bundlePath.split('/').pop()}`);
  await expect(view.getByTestId('job-row')).toHaveCount(1);
  await expect(view.getByTestId('job-row')).toHaveAttribute('data-job-id', target.job_id);
  await expect(view.getByTestId('new-job')).toHaveCount(0);
  await expect(view.getByTestId('open-bundle')).toHaveCount(0);
  await view.getByTestId('job-row').click();
  await expect(view.getByTestId('job-inspector')).toHaveAttribute('data-job-id', target.job_id);
  await expect(view.getByTestId('export-bundle-button')).toHaveCount(0);
  await expect(view.locator('[data-testid^=action-]')).toHaveCount(0);
  await view.setViewportSize({ width: 1400, height: 860 });
  await screenshotBothThemes(view, 'bundle-view');
  await expectNoSeriousA11yViolations(view);
  await view.getByTestId('open-trace').click();
  await expect(view.getByTestId('trace-row').first()).toBeVisible();
  expect(await jobCount()).toBe(jobsBefore);
  expect(readdirSync(join(app.dataDir, 'bundles')).sort()).toEqual(bundlesBefore);
});

test('a tampered bundle dropped on "Open bundle" is flagged file by file', async ({ page }) => {
  await openApp(page, app.url);
  const base64 = readFileSync(tamperedPath).toString('base64');
  const view = await openFromDialog(page, async () => {
    const dataTransfer = await page.evaluateHandle((data) => {
      const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'tampered.zip', { type: 'application/zip' }));
      return transfer;
    }, base64);
    await expectNoSeriousA11yViolations(page);
    await page.getByTestId('bundle-drop-zone').dispatchEvent('drop', { dataTransfer });
  });
  await expect(page.getByTestId('open-bundle-result')).toHaveAttribute('data-tampered', 'true');
  await expect(view.getByTestId('bundle-banner')).toHaveAttribute('data-tampered', 'true');
  await expect(view.getByTestId('bundle-verdict')).toContainText('Tampered: 2 files failed the check');
  await expect(view.locator('[data-testid=bundle-file][data-path="runs.json"]')).toHaveAttribute('data-status', 'modified');
  await expect(view.locator('[data-testid=bundle-file][data-path="notes.txt"]')).toHaveAttribute('data-status', 'unlisted');
  await expect(view.locator('[data-testid=bundle-file][data-path="job.json"]')).toHaveAttribute('data-status', 'ok');
  await view.setViewportSize({ width: 1400, height: 860 });
  await screenshotBothThemes(view, 'bundle-tampered');
  await expectNoSeriousA11yViolations(view);
});

test('refuses a file that is not a bundle with a clear error', async ({ page }) => {
  const notes = join(workDir, 'notes.zip');
  writeFileSync(notes, 'not a zip at all');
  await openApp(page, app.url);
  await page.getByTestId('open-bundle').click();
  await page.getByTestId('bundle-file-input').setInputFiles(notes);
  await expect(page.getByTestId('open-bundle-error')).toContainText('HSK-400-INVALID-BUNDLE');
  await screenshotBothThemes(page, 'open-bundle-dialog');
});

test('`npm run serve -- --bundle FILE.zip` serves the bundle read-only and opens no data dir', async ({ page }) => {
  const unusedDataDir = join(workDir, 'must-stay-absent');
  const viewer = await startServe({ bundle: tamperedPath, env: { HANDSHAKE_DATA_DIR: unusedDataDir } });
  try {
    await page.setViewportSize({ width: 1400, height: 860 });
    await page.goto(viewer.url);
    await expect(page.getByTestId('bundle-banner')).toHaveAttribute('data-tampered', 'true');
    await expect(page.getByTestId('job-row')).toHaveAttribute('data-job-id', target.job_id);
    const refused = await viewer.rpc('jobs.create', { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { text: 'Edit this.' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'HSK-409-READ-ONLY-BUNDLE' } });
    const events = await viewer.rpc<{ items: Array<{ job_id: string }> }>('events.list', { job_id: target.job_id, limit: 500 });
    expect(events.ok && events.data.items.length).toBeGreaterThan(3);
  } finally {
    await viewer.stop();
  }
  expect(existsSync(unusedDataDir)).toBe(false);
});
