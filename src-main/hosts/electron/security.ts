/**
 * The window's security decisions as pure functions, each pinned by a unit test (security.test.ts).
 * main.ts and window.ts only wire them to Electron.
 */
import type { WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'handshake';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether a URL belongs to the app. WHATWG URL reports origin "null" for custom schemes, so the
 * scheme and host are compared instead.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

export interface SenderFrame {
  url: string;
  isMainFrame: boolean;
}

/** IPC is answered only for the app's own main frame: not iframes, not other origins, not a gone frame. */
export function isTrustedSender(frame: SenderFrame | null): boolean {
  return frame !== null && frame.isMainFrame && isAppUrl(frame.url);
}

/** In-app navigation (e.g. a reload) is allowed; anything that would leave the app is not. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * A new window the page asks for (a link with target=_blank). None opens inside the app; only a
 * read-only bundle view this app itself started (a loopback origin it was given back from
 * `bundles.open`) is opened, in the person's browser. Everything else is refused.
 */
export function decideWindowOpen(url: string, bundleViewOrigins: ReadonlySet<string>): 'open-in-browser' | 'deny' {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'deny';
  }
  if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') return 'deny';
  return bundleViewOrigins.has(parsed.origin) ? 'open-in-browser' : 'deny';
}

/** A permission request or check as Electron reports it, reduced to what the decision needs. */
export interface PermissionAsk {
  permission: string;
  /** The URL of the frame asking; undefined when no document asks (a service worker, say). */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
}

/** Copy buttons write ids with navigator.clipboard.writeText, which needs this one permission. */
const GRANTED_TO_APP_MAIN_FRAME: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * Only the app's own main frame on app:// may write (sanitised) text to the clipboard. Every other
 * permission (camera, notifications, clipboard-read, ...) and every other frame or origin is denied.
 */
export function decidePermission(ask: PermissionAsk): boolean {
  return GRANTED_TO_APP_MAIN_FRAME.has(ask.permission) && ask.isMainFrame && ask.requestingUrl !== undefined && isAppUrl(ask.requestingUrl);
}

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    safeDialogs: true,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}
