/**
 * Electron main: the desktop app's composition root. Opens the core (lock, migrate, recover, open
 * the job gate), serves the contract over IPC, opens the hardened window, and closes the core on quit.
 */
import { app, dialog, ipcMain, protocol, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHskError } from '../../../src-shared/errors';
import { flagValue, hasAllowTerminal, ollamaSettings, parseModelRuntime, parseRetentionDays } from '../../cli/args';
import { openCore } from '../../core/open-core';
import type { HandshakeCore } from '../../core/types';
import { createRouter } from '../../ipc/router';
import { PUSH_IPC_CHANNEL } from './channels';
import { registerIpcHandlers } from './ipc';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol';
import { denyAllPermissions, hardenAllWebContents, openMainWindow } from './window';

const outDir = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD_PATH = join(outDir, 'preload', 'index.cjs');
const RENDERER_DIR = join(outDir, 'renderer');

// Must happen before `ready`: app:// behaves like https (standard, secure origin).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
hardenAllWebContents(app);

function dataDir(): string {
  return flagValue(process.argv, '--data-dir') ?? process.env.HANDSHAKE_DATA_DIR ?? app.getPath('userData');
}

function forwardPushes(core: HandshakeCore, window: BrowserWindow): void {
  const unsubscribe = core.subscribe((message) => {
    if (!window.isDestroyed()) window.webContents.send(PUSH_IPC_CHANNEL, message);
  });
  window.on('closed', unsubscribe);
}

function closeCoreOnQuit(core: HandshakeCore): void {
  let closed = false;
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (closed) return;
    // Hold the quit until the clean-stop marker is written and the lock released.
    event.preventDefault();
    closed = true;
    core.close('quit').finally(() => app.quit());
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  registerAppProtocol(protocol, RENDERER_DIR);
  const core = await openCore({
    dataDir: dataDir(),
    host: 'electron',
    version: app.getVersion(),
    modelRuntime: parseModelRuntime(flagValue(process.argv, '--model-runtime')),
    retentionDays: parseRetentionDays(flagValue(process.argv, '--retention-days')),
    ollama: ollamaSettings(flagValue(process.argv, '--ollama-model'), flagValue(process.argv, '--ollama-url')),
    allowTerminal: hasAllowTerminal(process.argv),
  });
  closeCoreOnQuit(core);
  registerIpcHandlers(ipcMain, createRouter(core.handlers, { onInputRejected: core.onInputRejected }));
  const window = await openMainWindow(PRELOAD_PATH);
  forwardPushes(core, window);
}

start().catch((error: unknown) => {
  // A locked data dir (another instance) or a too-new database: say so, then exit non-zero.
  const message = isHskError(error) ? `${error.message} (${error.code})` : String((error as Error)?.stack ?? error);
  console.error(`[handshake] cannot start: ${message}`);
  dialog.showErrorBox('Handshake Jobs cannot start', message);
  app.exit(1);
});
