/**
 * Decisions the Electron entry makes while starting, as pure functions (startup.test.ts).
 */
import { resolve } from 'node:path';
import { isHskError } from '../../../src-shared/errors';
import { flagValue } from '../shared/host-options';

/** --data-dir, else HANDSHAKE_DATA_DIR, else the app's userData (the browser host's default too). */
export function chooseDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): string {
  return resolve(flagValue(argv, '--data-dir') ?? env.HANDSHAKE_DATA_DIR ?? userData);
}

function isNativeModuleLoadFailure(error: Error): boolean {
  return (error as { code?: unknown }).code === 'ERR_DLOPEN_FAILED' || /\.node\b/.test(error.message);
}

/** The one message the error dialog shows when the app cannot open; the stack goes to stderr. */
export function startFailureMessage(error: unknown): string {
  if (isHskError(error)) return `${error.message} (${error.code})`;
  if (!(error instanceof Error)) return String(error);
  if (isNativeModuleLoadFailure(error)) {
    return `The SQLite driver (better-sqlite3) cannot be loaded on this system, so the job store cannot open: ${error.message}`;
  }
  return error.message;
}

/**
 * Whether a rejected loadURL only means another navigation replaced it (an error page, a reload):
 * Electron rejects the superseded load with ERR_ABORTED. Any other failure is real.
 */
export function isSupersededLoad(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_ABORTED';
}
