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

/** No permission (camera, notifications, geolocation, ...) is ever granted to the page. */
export function decidePermission(): boolean {
  return false;
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
