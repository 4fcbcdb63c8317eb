/**
 * The app window and the hardening that applies to every web contents the app ever creates.
 */
import { BrowserWindow, type App, type Session, type WebContents } from 'electron';
import { decidePermission, isAllowedNavigation, secureWebPreferences } from './security';

function refuseNavigationOutOfApp(details: { url: string; preventDefault(): void }): void {
  if (!isAllowedNavigation(details.url)) details.preventDefault();
}

/**
 * Navigation out of the app (main frame or any subframe), new windows and <webview> are refused.
 * A new window the page asks for is never created; `onWindowOpen` hears of it (and may hand a
 * bundle view to the browser).
 */
export function hardenAllWebContents(app: App, onWindowOpen: (url: string) => void = () => undefined): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', refuseNavigationOutOfApp);
    contents.on('will-frame-navigate', refuseNavigationOutOfApp);
    contents.on('will-redirect', refuseNavigationOutOfApp);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      onWindowOpen(url);
      return { action: 'deny' };
    });
  });
}

export function applyPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(decidePermission({ permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame })),
  );
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    decidePermission({ permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame }),
  );
}

/** The window, not yet loaded: the caller wires its events first, so nothing it sends is missed. */
export function createMainWindow(preloadPath: string, iconPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'Handshake Jobs',
    icon: iconPath,
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/** A second launch brings the running window forward instead of opening the data dir again. */
export function bringToFront(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
