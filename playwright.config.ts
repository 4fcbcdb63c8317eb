/**
 * Two lanes: `browser` drives the real UI in the installed Chromium against `npm run serve`;
 * `electron` drives the desktop app through Playwright's _electron (skipped without the binary).
 * e2e/fixtures/global-setup.ts finds (or installs) Chromium and builds the renderer once.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/ensure-chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/fixtures/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'browser',
      testDir: 'e2e',
      testIgnore: ['electron/**'],
      use: {
        browserName: 'chromium',
        // Resolved again in each worker, after global setup may have installed Chromium.
        launchOptions: { executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS },
      },
    },
    {
      name: 'electron',
      testDir: 'e2e/electron',
    },
  ],
});
