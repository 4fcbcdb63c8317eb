/**
 * Electron main: the desktop app's composition root. Opens the core (lock, migrate, recover, open
 * the job gate), serves the contract over IPC, opens the hardened window, and closes the core on quit.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PushMessage } from '../../../src-shared/ipc';
import { flagValue, hasAllowTerminal, ollamaSettings, parseModelRuntime, parseRetentionDays } from '../shared/host-options';
import { liveExportOption, resolveOtlpTracesUrl } from '../../otel/live-exporter';
import type { bundleViewLauncher } from '../../bundle-viewer/serve-bundle';
import type { BundleViewLauncher, HandshakeCore } from '../../core/types';
import { createRouter } from '../../ipc/router';
import { PUSH_IPC_CHANNEL } from './channels';
import { onRendererReady, registerIpcHandlers } from './ipc';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol';
import { createPushOutbox, type PushOutbox } from './push-outbox';
import { createQuitGuard } from './quit';
import { APP_ENTRY_URL, decideWindowOpen } from './security';
import { chooseDataDir, isSupersededLoad, startFailureMessage } from './startup';
import { applyPermissionPolicy, bringToFront, createMainWindow, hardenAllWebContents } from './window';
import { watchMainWindow } from './window-events';

const outDir = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD_PATH = join(outDir, 'preload', 'index.cjs');
const RENDERER_DIR = join(outDir, 'renderer');
/** The app icon, built with the renderer from src-renderer/public (the page's favicon is its SVG twin). */
const ICON_PATH = join(RENDERER_DIR, 'icon.png');

/**
 * "Open bundle": each bundle is served read-only on a loopback address of its own (as with
 * `npm run serve`), and its link opens in the person's browser; only the views still open may.
 */
let bundleViews: ReturnType<typeof bundleViewLauncher> | null = null;
const openBundleView: BundleViewLauncher = async (fileName, bytes) => {
  // Loaded on first use, like the core: the bundle reader opens SQLite (see openCoreFromArgs).
  const { bundleViewLauncher: launcher } = await import('../../bundle-viewer/serve-bundle');
  bundleViews ??= launcher(RENDERER_DIR, app.getVersion());
  return bundleViews.launch(fileName, bytes);
};

function openBundleViewInBrowser(url: string): void {
  if (decideWindowOpen(url, bundleViews?.openOrigins() ?? new Set()) === 'open-in-browser') void shell.openExternal(url);
}

async function openCoreFromArgs(): Promise<HandshakeCore> {
  // Loaded here, not at the top: a native module that cannot load (better-sqlite3 on an old
  // glibc) fails inside start(), so the user sees the error dialog instead of a silent process.
  const { openCore } = await import('../../core/open-core');
  return openCore({
    dataDir: chooseDataDir(process.argv, process.env, app.getPath('userData')),
    host: 'electron',
    version: app.getVersion(),
    modelRuntime: parseModelRuntime(flagValue(process.argv, '--model-runtime')),
    retentionDays: parseRetentionDays(flagValue(process.argv, '--retention-days')),
    ollama: ollamaSettings(flagValue(process.argv, '--ollama-model'), flagValue(process.argv, '--ollama-url')),
    ...liveExportOption(resolveOtlpTracesUrl(flagValue(process.argv, '--otlp-endpoint'))),
    allowTerminal: hasAllowTerminal(process.argv),
    openBundleView,
  });
}

function closeCoreOnQuit(coreOpening: Promise<HandshakeCore>): void {
  app.on('window-all-closed', () => app.quit());
  app.on(
    'before-quit',
    createQuitGuard({
      closeCore: async () => {
        await bundleViews?.closeAll();
        await (await coreOpening).close('quit');
      },
      blockInput: () => {
        for (const window of BrowserWindow.getAllWindows()) window.setEnabled(false);
      },
      quit: () => app.quit(),
      exit: (code) => app.exit(code),
      log: (message, error) => console.error(`[handshake] ${message}:`, error),
    }),
  );
}

function recordCrashIn(dataDir: string): (line: string) => void {
  return (line) => {
    console.error(`[handshake] ${line}`);
    try {
      appendFileSync(join(dataDir, 'renderer-crashes.log'), `${line}\n`);
    } catch (error) {
      console.error('[handshake] could not write renderer-crashes.log:', error);
    }
  };
}

async function openWindow(core: HandshakeCore, outbox: PushOutbox<PushMessage>): Promise<BrowserWindow> {
  registerIpcHandlers(ipcMain, createRouter(core.handlers, { onInputRejected: core.onInputRejected }));
  const window = createMainWindow(PRELOAD_PATH, ICON_PATH);
  onRendererReady(ipcMain, window.webContents, () => outbox.markReady());
  watchMainWindow(window, { outbox, recordCrash: recordCrashIn(core.dataDir) });
  app.on('second-instance', () => bringToFront(window));
  await window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    if (!isSupersededLoad(error)) throw error;
  });
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  applyPermissionPolicy(session.defaultSession);
  registerAppProtocol(protocol, RENDERER_DIR);
  const coreOpening = openCoreFromArgs();
  closeCoreOnQuit(coreOpening);
  const core = await coreOpening;
  let window: BrowserWindow | null = null;
  // Subscribed before the window exists: every push from the first one on reaches the page, in order.
  const outbox = createPushOutbox<PushMessage>((message) => {
    if (window && !window.isDestroyed()) window.webContents.send(PUSH_IPC_CHANNEL, message);
  });
  core.subscribe((message) => outbox.push(message));
  try {
    window = await openWindow(core, outbox);
  } catch (error) {
    await core.close('window_failed').catch((closeError: unknown) => console.error('[handshake] close after a failed start:', closeError));
    throw error;
  }
}

function failToStart(error: unknown): void {
  // A locked data dir, a too-new database, a driver that cannot load: say so, then exit non-zero.
  console.error('[handshake] cannot start:', error);
  dialog.showErrorBox('Handshake Jobs cannot start', startFailureMessage(error));
  app.exit(1);
}

// Must happen before `ready`: app:// behaves like https (standard, secure origin).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (app.requestSingleInstanceLock()) {
  hardenAllWebContents(app, openBundleViewInBrowser);
  start().catch(failToStart);
} else {
  // The running instance brings its window forward (its 'second-instance' event); this one leaves.
  app.quit();
}
