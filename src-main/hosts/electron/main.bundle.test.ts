/**
 * The built main bundle (out/main/index.js), run under Node with `electron` replaced by a recording
 * stand-in: the wiring that unit tests of the parts cannot see. Needs no Electron binary; the
 * bundle is built by the Vitest global setup when missing or stale.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../src-shared/ipc';
import { VALID_INPUTS } from '../../testing/valid-inputs';
import { makeSuiteTempDir } from '../../testing/temp-dir';
import { drain, makeRig } from '../../testing/workflows';
import { acquireDataDirLock } from '../../core/lock';
import { PROJECT_ROOT } from '../shared/renderer-build';
import { CONTENT_SECURITY_POLICY } from '../shared/security-headers';
import { PUSH_IPC_CHANNEL, RENDERER_READY_IPC_CHANNEL } from './channels';
import { APP_SCHEME_PRIVILEGES } from './protocol';
import { APP_ENTRY_URL, secureWebPreferences } from './security';
import type { StandInRecord } from './testing/electron-stand-in';
import { MainBundleRun, type MainBundleOptions } from './testing/main-bundle-run';

const PRELOAD = join(PROJECT_ROOT, 'out/preload/index.cjs');
const runs: MainBundleRun[] = [];

const tempDir = (prefix: string): string => makeSuiteTempDir(prefix);

function startRun(options: MainBundleOptions): MainBundleRun {
  const run = new MainBundleRun(options);
  runs.push(run);
  return run;
}

afterAll(async () => {
  await Promise.all(runs.map((run) => run.stop()));
});

/** Starts the bundle on a fresh data dir, fires ready, and waits until the window loads the app. */
async function startedApp(): Promise<{ run: MainBundleRun; dataDir: string; beforeReady: StandInRecord[]; dbBeforeReady: boolean }> {
  const dataDir = tempDir('hsk-bundle-');
  const run = startRun({ args: ['--data-dir', dataDir, '--model-runtime', 'mock'] });
  await run.waitForRecord('app.whenReady');
  const beforeReady = [...run.records];
  const dbBeforeReady = existsSync(join(dataDir, 'handshake.db'));
  await run.command('ready');
  await run.waitForRecord('BrowserWindow.loadURL');
  return { run, dataDir, beforeReady, dbBeforeReady };
}

const pushSeqs = (run: MainBundleRun) =>
  run.callsOf('webContents.send').map((record) => {
    expect(record.args[0]).toBe(PUSH_IPC_CHANNEL);
    return (record.args[1] as { seq: number }).seq;
  });

/** Consecutive seqs: the page sees no gap. (openCore's own first pushes precede any subscriber.) */
const isGapFree = (seqs: number[]) => seqs.every((seq, index) => index === 0 || seq === (seqs[index - 1] ?? 0) + 1);

const createJob = (run: MainBundleRun) => run.command<{ ok: boolean }>('invoke', { channel: 'jobs.create', input: VALID_INPUTS['jobs.create'] });

describe('the built main bundle: start-up wiring', () => {
  let app: Awaited<ReturnType<typeof startedApp>>;
  beforeAll(async () => {
    app = await startedApp();
  });

  it('registers app:// as privileged before ready, and opens nothing before ready', () => {
    const schemes = app.beforeReady.filter((record) => record.api === 'protocol.registerSchemesAsPrivileged');
    expect(schemes).toHaveLength(1);
    expect(schemes[0]?.args).toEqual([[APP_SCHEME_PRIVILEGES]]);
    expect(app.beforeReady.map((record) => record.api)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(protocol\.handle|session\.|ipcMain\.|BrowserWindow\.)/)]),
    );
    expect(app.dbBeforeReady).toBe(false);
  });

  it('installs the protocol handler, the permission handlers and one IPC handler per channel after ready', () => {
    const afterReadyApis = ['protocol.handle', 'session.setPermissionRequestHandler', 'session.setPermissionCheckHandler', 'ipcMain.handle', 'ipcMain.on'];
    for (const api of afterReadyApis) {
      const calls = app.run.callsOf(api);
      expect(calls.length, api).toBeGreaterThan(0);
      expect(calls.every((record) => record.afterReady), api).toBe(true);
    }
    expect(app.run.callsOf('protocol.handle').map((record) => record.args)).toEqual([['app']]);
    expect(app.run.callsOf('ipcMain.handle').map((record) => record.args[0])).toEqual(CHANNEL_NAMES);
    expect(app.run.callsOf('ipcMain.on').map((record) => record.args[0])).toEqual([RENDERER_READY_IPC_CHANNEL]);
  });

  it('opens one window with the hardened preferences and the built preload, and loads app://handshake/index.html', () => {
    const windows = app.run.callsOf('BrowserWindow.new');
    expect(windows).toHaveLength(1);
    expect((windows[0]?.args[0] as { webPreferences: unknown }).webPreferences).toEqual(secureWebPreferences(PRELOAD));
    expect(existsSync(PRELOAD)).toBe(true);
    expect(app.run.callsOf('BrowserWindow.loadURL').map((record) => record.args)).toEqual([[APP_ENTRY_URL]]);
    expect(existsSync(join(app.dataDir, 'handshake.db'))).toBe(true);
  });

  it('serves index.html and every asset it references with 200 and the CSP', async () => {
    const html = readFileSync(join(PROJECT_ROOT, 'out/renderer/index.html'), 'utf8');
    const referenced = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1] ?? '', APP_ENTRY_URL).href);
    expect(referenced.length).toBeGreaterThanOrEqual(2);
    for (const url of [APP_ENTRY_URL, ...referenced]) {
      const response = await app.run.command<{ status: number; headers: Record<string, string> }>('fetch', { url });
      expect(response.status, url).toBe(200);
      expect(response.headers['content-security-policy'], url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses path traversal out of the renderer directory', async () => {
    for (const url of ['app://handshake/..%2f..%2fpackage.json', 'app://handshake/%2e%2e/%2e%2e/package.json', 'app://handshake/..%5c..%5cpackage.json']) {
      const response = await app.run.command<{ status: number; body: string }>('fetch', { url });
      expect(response.status, url).toBe(404);
      expect(response.body).not.toContain('handshake-jobs');
    }
  });

  it('grants clipboard-sanitized-write to the app\'s main frame only and denies everything else', async () => {
    const ask = { permission: 'clipboard-sanitized-write', requestingUrl: APP_ENTRY_URL, isMainFrame: true };
    const denied = [
      { ...ask, isMainFrame: false },
      { ...ask, requestingUrl: 'https://evil.example/' },
      { ...ask, permission: 'clipboard-read' },
      { ...ask, permission: 'notifications' },
      { ...ask, permission: 'media' },
    ];
    for (const command of ['permissionRequest', 'permissionCheck']) {
      expect(await app.run.command(command, ask), command).toBe(true);
      for (const other of denied) expect(await app.run.command(command, other), `${command} ${JSON.stringify(other)}`).toBe(false);
    }
  });

  it('blocks navigation out of the app in the main frame, in subframes and by redirect, and every new window', async () => {
    const blocked = [
      { name: 'will-navigate', details: { url: 'https://example.com/', isMainFrame: true } },
      { name: 'will-frame-navigate', details: { url: 'https://example.com/', isMainFrame: false } },
      { name: 'will-frame-navigate', details: { url: 'file:///etc/passwd', isMainFrame: true } },
      { name: 'will-redirect', details: { url: 'http://127.0.0.1:9/', isMainFrame: true } },
    ];
    for (const event of blocked) expect(await app.run.command('contentsEvent', event), JSON.stringify(event)).toEqual({ prevented: true });
    const inApp = { name: 'will-navigate', details: { url: `${APP_ENTRY_URL}#view=timeline`, isMainFrame: true } };
    expect(await app.run.command('contentsEvent', inApp)).toEqual({ prevented: false });
    expect(await app.run.command('contentsEvent', { name: 'will-attach-webview' })).toEqual({ prevented: true });
    expect(await app.run.command('windowOpen', { url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('opens a bundle read-only on its own loopback address, and hands only that link to the browser', async () => {
    // A real bundle: a job the engine ran, exported by the debug_bundle_export executor.
    const rig = makeRig();
    try {
      const target = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'bundle me'] } });
      await drain(rig.engine);
      const exporter = rig.submit({ job_kind: 'debug_bundle_export', protocol_id: 'hsk.bundle.export.v0', access_mode: 'analysis_only', job_inputs: { target_job_id: target.job_id } });
      await drain(rig.engine);
      const zip = readFileSync(join(rig.dataDir, 'bundles', `${exporter.job_id}.zip`));
      const opened = await app.run.command<{ ok: boolean; data: { url: string; bundle: { mode: string } } }>('invoke', {
        channel: 'bundles.open',
        input: { file_name: 'b.zip', data_base64: zip.toString('base64') },
      });
      expect(opened).toMatchObject({ ok: true, data: { bundle: { mode: 'bundle' } } });
      expect(new URL(opened.data.url).hostname).toBe('127.0.0.1');
      expect(await app.run.command('windowOpen', { url: opened.data.url })).toEqual({ action: 'deny' });
      expect(app.run.callsOf('shell.openExternal').map((record) => record.args[0])).toEqual([opened.data.url]);
      // Another loopback address (not one the app handed out) never reaches the browser.
      expect(await app.run.command('windowOpen', { url: 'http://127.0.0.1:9/' })).toEqual({ action: 'deny' });
      expect(app.run.callsOf('shell.openExternal')).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });

  it('holds pushes until the page signals ready, then delivers them all in order with no gap', async () => {
    expect((await createJob(app.run)).ok).toBe(true);
    expect(app.run.callsOf('webContents.send')).toEqual([]);
    await app.run.command('ipcSend', { channel: RENDERER_READY_IPC_CHANNEL, frameUrl: 'https://evil.example/' });
    expect(app.run.callsOf('webContents.send')).toEqual([]);
    await app.run.command('ipcSend', { channel: RENDERER_READY_IPC_CHANNEL });
    const held = pushSeqs(app.run);
    expect(held.length).toBeGreaterThanOrEqual(2);
    expect(isGapFree(held)).toBe(true);
    expect(app.run.callsOf('webContents.send').some((record) => (record.args[1] as { name: string }).name === 'job.changed')).toBe(true);
    await createJob(app.run);
    const all = pushSeqs(app.run);
    expect(all.length).toBeGreaterThan(held.length);
    expect(isGapFree(all)).toBe(true);
  });

  it('brings its window forward when the app is launched a second time', async () => {
    await app.run.command('secondInstance');
    await app.run.waitForRecord('BrowserWindow.focus');
    expect(app.run.callsOf('BrowserWindow.restore')).toHaveLength(1);
  });
});

describe('the built main bundle: a broken page', () => {
  it('reloads a crashed renderer with a notice, records the crash, and holds pushes until the reloaded page is ready', async () => {
    const { run, dataDir } = await startedApp();
    await run.command('ipcSend', { channel: RENDERER_READY_IPC_CHANNEL });
    const sentBeforeCrash = run.callsOf('webContents.send').length;
    await run.command('contentsEvent', { name: 'render-process-gone', args: [{ reason: 'crashed', exitCode: 139 }] });
    await run.waitForRecord('webContents.reload');
    const notice = await run.waitForRecord('dialog.showMessageBox');
    expect(JSON.stringify(notice.args)).toContain('stopped unexpectedly (crashed) and was reloaded');
    expect(readFileSync(join(dataDir, 'renderer-crashes.log'), 'utf8')).toMatch(/renderer process gone: crashed \(exit code 139\); window reloaded\n$/);
    await createJob(run);
    expect(run.callsOf('webContents.send')).toHaveLength(sentBeforeCrash);
    await run.command('ipcSend', { channel: RENDERER_READY_IPC_CHANNEL });
    expect(run.callsOf('webContents.send').length).toBeGreaterThan(sentBeforeCrash);
  });

  it('replaces the page with an error page naming the cause when the preload fails', async () => {
    const { run } = await startedApp();
    await run.command('contentsEvent', { name: 'preload-error', args: ['/app/out/preload/index.cjs', { message: 'contextBridge exploded' }] });
    const page = await run.waitForRecord('webContents.loadURL', (record) => String(record.args[0]).startsWith('data:text/html'));
    const html = decodeURIComponent(String(page.args[0]));
    expect(html).toContain('Cause: contextBridge exploded');
    expect(html).toContain('/app/out/preload/index.cjs');
    // The error page's own preload failing again does not reload it forever.
    await run.command('contentsEvent', { name: 'preload-error', args: ['/app/out/preload/index.cjs', { message: 'again' }] });
    expect(run.callsOf('webContents.loadURL').filter((record) => String(record.args[0]).startsWith('data:'))).toHaveLength(1);
  });
});

describe('the built main bundle: quitting', () => {
  it('closes the core exactly once when two quits arrive together, blocking input meanwhile, then exits 0', async () => {
    const userData = tempDir('hsk-bundle-userdata-');
    const run = startRun({ userData, args: ['--model-runtime', 'mock'] });
    await run.waitForRecord('app.whenReady');
    await run.command('ready');
    await run.waitForRecord('BrowserWindow.loadURL');
    await run.command('quit', { times: 2 });
    expect(await run.exited).toBe(0);
    expect(run.callsOf('app.quit.held')).toHaveLength(2);
    expect(run.callsOf('BrowserWindow.setEnabled').map((record) => record.args)).toEqual([[false]]);
    expect(run.callsOf('app.quit.proceeds')).toHaveLength(1);
    const db = new Database(join(userData, 'handshake.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM fr_events WHERE type = 'app_stopped'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    // The data dir is free again: the exclusive lock went with the process (the file stays).
    acquireDataDirLock(userData, 0).release();
  });
});

describe('the built main bundle: failing to start', () => {
  it('shows the error dialog and exits 1 when the SQLite driver cannot load', async () => {
    const dataDir = tempDir('hsk-bundle-broken-');
    const glibc = "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node)";
    const run = startRun({ args: ['--data-dir', dataDir], brokenNativeModule: glibc });
    await run.waitForRecord('app.whenReady');
    await run.command('ready');
    expect(await run.exited).toBe(1);
    const [dialogCall] = run.callsOf('dialog.showErrorBox');
    expect(dialogCall?.args[0]).toBe('Handshake Jobs cannot start');
    expect(dialogCall?.args[1]).toMatch(/^The SQLite driver \(better-sqlite3\) cannot be loaded on this system.*GLIBC_2\.38/);
    expect(run.callsOf('app.exit').map((record) => record.args)).toEqual([[1]]);
    expect(run.callsOf('BrowserWindow.new')).toEqual([]);
  });

  it('leaves at once, opening nothing, when another instance holds the single-instance lock', async () => {
    const dataDir = tempDir('hsk-bundle-second-');
    const run = startRun({ args: ['--data-dir', dataDir], secondInstance: true });
    expect(await run.exited).toBe(0);
    expect(run.callsOf('app.quit')).toHaveLength(1);
    expect(run.callsOf('app.whenReady')).toEqual([]);
    expect(existsSync(join(dataDir, 'handshake.db'))).toBe(false);
  });
});
