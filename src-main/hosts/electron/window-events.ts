/**
 * The main window's life after it opens: pushes held while its page (re)loads, a failed preload
 * replaced by an error page naming the cause, and a crashed renderer reloaded with a notice (or,
 * in a crash loop, an error page). The decisions are in renderer-health.ts.
 */
import { dialog, type BrowserWindow } from 'electron';
import type { PushOutbox } from './push-outbox';
import { crashLoopPageUrl, decideAfterRendererGone, MAX_CRASHES_IN_WINDOW, preloadErrorPageUrl, rendererCrashLine, rendererCrashNotice } from './renderer-health';
import { isAppUrl } from './security';

export interface MainWindowWatch {
  outbox: PushOutbox<unknown>;
  /** Keeps a line about a renderer crash (stderr and the data dir's crash log). */
  recordCrash(line: string): void;
}

function showPage(window: BrowserWindow, url: string): void {
  window.webContents.loadURL(url).catch((error: unknown) => console.error('[handshake] could not show the error page:', error));
}

function holdPushesWhileReloading(window: BrowserWindow, outbox: PushOutbox<unknown>): void {
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) outbox.markNotReady();
  });
}

function replacePageOnPreloadError(window: BrowserWindow): void {
  window.webContents.on('preload-error', (_event, preloadPath, error) => {
    console.error(`[handshake] the preload ${preloadPath} failed:`, error);
    // The error page's own preload fails the same way; it stays, rather than reloading forever.
    if (isAppUrl(window.webContents.getURL())) showPage(window, preloadErrorPageUrl(preloadPath, error));
  });
}

function recoverFromRendererCrash(window: BrowserWindow, watch: MainWindowWatch): void {
  const crashes: number[] = [];
  window.webContents.on('render-process-gone', (_event, details) => {
    watch.outbox.markNotReady();
    const now = Date.now();
    const action = decideAfterRendererGone(details.reason, crashes, now);
    if (action === 'ignore') return;
    crashes.push(now);
    crashes.splice(0, crashes.length - MAX_CRASHES_IN_WINDOW);
    watch.recordCrash(rendererCrashLine(details, action, now));
    if (action === 'give-up') return showPage(window, crashLoopPageUrl(details.reason));
    window.webContents.reload();
    void dialog.showMessageBox(window, { type: 'warning', title: 'Handshake Jobs', message: rendererCrashNotice(details.reason) });
  });
}

export function watchMainWindow(window: BrowserWindow, watch: MainWindowWatch): void {
  holdPushesWhileReloading(window, watch.outbox);
  replacePageOnPreloadError(window);
  recoverFromRendererCrash(window, watch);
}
