/**
 * Helpers shared by the UI specs (e2e/ui-*.spec.ts): the accessibility gate, screenshots in light
 * and dark, and small waits on named milestones of the page.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCREENSHOT_DIR = 'e2e/screenshots';

/** Fails on any serious or critical axe violation, listing rule ids and offending nodes. */
export async function expectNoSeriousA11yViolations(page: Page, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 5).join(' | ')}`);
  expect(serious).toEqual([]);
}

/** Saves the current view in both colour schemes (the app follows prefers-color-scheme). */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens the app and waits until startup recovery is reported complete. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.goto(url);
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-state', 'complete');
}

export function hashParams(page: Page): URLSearchParams {
  return new URLSearchParams(new URL(page.url()).hash.slice(1));
}

/** Resolves with the job once the host reports it in one of `states` (polling the API, the source of truth). */
export async function waitForJobState(
  rpc: <T>(channel: string, input: unknown) => Promise<{ ok: boolean; data?: T }>,
  jobId: string,
  states: readonly string[],
): Promise<void> {
  await expect
    .poll(async () => {
      const result = (await rpc<{ state: string }>('jobs.get', { job_id: jobId })) as { ok: boolean; data?: { state: string } };
      return result.ok ? result.data?.state : undefined;
    }, { timeout: 30_000 })
    .toMatch(new RegExp(`^(${states.join('|')})$`));
}

/** The first 8 characters of a UUID's last group: the short id the UI shows. */
export function shortOf(id: string): string {
  return id.split('-')[4]!.slice(0, 8);
}
