/**
 * The app window and the hardening that applies to every web contents the app ever creates.
 */
import { BrowserWindow, type App, type Session } from 'electron';
import { APP_ENTRY_URL, decidePermission, isAllowedNavigation, secureWebPreferences } from './security';

/** Navigation out of the app, new windows and <webview> are refused for every web contents. */
export function hardenAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(decidePermission()));
  session.setPermissionCheckHandler(() => decidePermission());
}

export async function openMainWindow(preloadPath: string, iconPath: string): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'Handshake Jobs',
    icon: iconPath,
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
  return window;
}
