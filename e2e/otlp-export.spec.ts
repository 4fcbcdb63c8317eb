/**
 * "Export OTLP" in the real UI: from the job inspector (a job and its trace) and from a Timeline
 * slice; each writes OTLP JSON Lines under the data dir that the official definitions decode.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { decodeTracesDataJson, spansOf, traceProblems } from '../src-main/testing/otlp-proto';
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, openApp } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe({ seed: { jobs: 20 } });
});
test.afterAll(async () => {
  await app.stop();
});

/** Clicks an export button and returns the file it reports, after checking it as a collector would. */
async function exportAndCheck(page: Page, testId: string): Promise<number> {
  await page.getByTestId(`${testId}-button`).click();
  const result = page.getByTestId(`${testId}-result`);
  await expect(result).toContainText(/\d+ spans of \d+ jobs? written to /);
  const path = (await result.locator('code').textContent())!;
  expect(path.startsWith(`${app.dataDir}/exports/`)).toBe(true);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const spans = lines.flatMap((line) => {
    const { message, problems } = decodeTracesDataJson(line);
    expect(problems).toEqual([]);
    return spansOf(message);
  });
  expect(traceProblems(spans)).toEqual([]);
  return spans.length;
}

test('exports a job and its trace from the inspector', async ({ page }) => {
  await openApp(page, `${app.url}&state=completed`);
  await page.getByTestId('job-row').first().click();
  await expect(page.getByTestId('job-inspector')).toBeVisible();
  expect(await exportAndCheck(page, 'export-otlp-job')).toBeGreaterThanOrEqual(3);
  expect(await exportAndCheck(page, 'export-otlp-trace')).toBeGreaterThanOrEqual(3);
  await expectNoSeriousA11yViolations(page, '.inspector-actions');
});

test('exports the current Timeline slice', async ({ page }) => {
  await openApp(page, `${app.url}&view=timeline`);
  await expect(page.getByTestId('event-item').first()).toBeVisible();
  expect(await exportAndCheck(page, 'export-otlp-slice')).toBeGreaterThan(20);
});
