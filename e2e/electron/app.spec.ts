/**
 * The desktop app through Playwright's _electron, launched on the project folder as `npm start`
 * runs it: it loads from app://, finishes recovery, keeps every security setting, copies ids, and
 * a second launch focuses it. Skips itself, with one reason, where no Electron binary is installed.
 */
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNEL_NAMES } from '../../src-shared/ipc';
import { electronLaneSkipReason, launchApp, launchSecondInstance } from '../fixtures/electron-app';

const skipReason = electronLaneSkipReason();
test.skip(skipReason !== null, `Electron lane skipped: ${skipReason}`);

test.describe.configure({ mode: 'serial' });

type Bridge = Record<string, (input: unknown) => Promise<{ ok: boolean; data?: { job_id?: string } }>>;

let app: ElectronApplication;
let page: Page;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hsk-electron-'));
  ({ app, page } = await launchApp(dataDir));
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('loads the app from app:// as the project\'s own app and shows recovery complete', async () => {
  expect(page.url()).toMatch(/^app:\/\/handshake\//);
  await expect(page).toHaveTitle('Handshake Jobs');
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-state', 'complete');
  const identity = await app.evaluate(({ app: electronApp }) => ({ name: electronApp.getName(), userData: electronApp.getPath('userData') }));
  expect(identity.name).toBe('handshake-jobs');
  expect(identity.userData).toMatch(/handshake-jobs$/);
});

test('runs the window with contextIsolation, sandbox and webSecurity on and Node integration off', async () => {
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    // Undocumented in the typings but present at run time: the preferences the renderer really got.
    const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences(): Electron.WebPreferences };
    const preferences = contents.getLastWebPreferences();
    return {
      contextIsolation: preferences?.contextIsolation,
      sandbox: preferences?.sandbox,
      nodeIntegration: preferences?.nodeIntegration,
      webSecurity: preferences?.webSecurity,
      webviewTag: preferences?.webviewTag,
    };
  });
  expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
});

test('gives the page no Node: typeof require and process are undefined', async () => {
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
});

test('exposes exactly the contract on window.handshake', async () => {
  const keys = await page.evaluate(() => Object.keys((window as unknown as { handshake: object }).handshake).sort());
  expect(keys).toEqual([...CHANNEL_NAMES, 'on'].sort());
  const status = await page.evaluate(() => (window as unknown as { handshake: Bridge }).handshake['system.status']?.({}));
  expect(status).toMatchObject({ ok: true });
});

test('copies a job id with its copy button (the app may write to the clipboard)', async () => {
  const created = await page.evaluate(() =>
    (window as unknown as { handshake: Bridge }).handshake['jobs.create']?.({ job_kind: 'doc_summarize', protocol_id: 'electron.v1', job_inputs: { text: 'copy me' } }),
  );
  const jobId = created?.data?.job_id;
  expect(jobId).toBeTruthy();
  await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`).click();
  await page.getByRole('button', { name: 'Copy job id' }).first().click();
  await expect.poll(() => app.evaluate(({ clipboard }) => clipboard.readText())).toBe(jobId);
});

test('blocks navigation to an external URL and new windows', async () => {
  const before = page.url();
  // Record, in the main process, the next navigation attempt once our own will-navigate guard has seen it.
  await app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents;
    (globalThis as { nextNavigation?: Promise<string> }).nextNavigation = new Promise((resolve) => {
      contents?.once('will-navigate', (details) => resolve(details.url));
    });
  });
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  expect(await app.evaluate(() => (globalThis as { nextNavigation?: Promise<string> }).nextNavigation)).toBe('https://example.com/');
  expect(page.url()).toBe(before);
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-state', 'complete');
  expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

test('a second launch brings this window forward and exits, instead of failing on the data-dir lock', async () => {
  const secondInstance = app.evaluate(({ app: electronApp }) => new Promise<boolean>((resolve) => electronApp.once('second-instance', () => resolve(true))));
  expect(await launchSecondInstance(dataDir)).toBe(0);
  expect(await secondInstance).toBe(true);
  expect(app.windows()).toHaveLength(1);
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-state', 'complete');
});
