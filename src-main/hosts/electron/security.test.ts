import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/security-headers';
import {
  APP_ENTRY_URL,
  decidePermission,
  decideWindowOpen,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
  secureWebPreferences,
} from './security';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs');

  it('isolates the page: contextIsolation and sandbox on, Node integration off everywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and webviews and insecure content off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('uses the given preload', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
});

describe('app URLs', () => {
  it('recognises the app origin only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://handshake/assets/index.js')).toBe(true);
    for (const url of ['app://other/index.html', 'https://handshake/', 'file:///etc/passwd', 'app://user@handshake/', 'http://127.0.0.1/', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('isTrustedSender', () => {
  it('trusts only the app origin\'s main frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('navigation and permissions', () => {
  it('allows in-app navigation and blocks everything that leaves the app', () => {
    expect(isAllowedNavigation('app://handshake/index.html#/jobs')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi', 'app://other/']) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('grants clipboard-sanitized-write to the app\'s main frame on app:// only', () => {
    const ask = { permission: 'clipboard-sanitized-write', requestingUrl: 'app://handshake/index.html#view=jobs', isMainFrame: true };
    expect(decidePermission(ask)).toBe(true);
    expect(decidePermission({ ...ask, isMainFrame: false })).toBe(false);
    for (const requestingUrl of ['https://evil.example/', 'app://other/index.html', 'file:///tmp/x.html', 'data:text/html,hi', undefined]) {
      expect(decidePermission({ ...ask, requestingUrl }), String(requestingUrl)).toBe(false);
    }
  });

  it('denies every other permission, to the app too', () => {
    for (const permission of ['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'fullscreen', 'unknown', 'deprecated-sync-clipboard-read']) {
      expect(decidePermission({ permission, requestingUrl: APP_ENTRY_URL, isMainFrame: true }), permission).toBe(false);
    }
  });
});

describe('Content-Security-Policy', () => {
  it('allows scripts from the app only: no inline, no eval', () => {
    const scriptSrc = CONTENT_SECURITY_POLICY.split('; ').find((part) => part.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe('decideWindowOpen', () => {
  it('opens in the browser only a loopback origin the app handed out for a bundle view', () => {
    const origins = new Set(['http://127.0.0.1:40123']);
    expect(decideWindowOpen('http://127.0.0.1:40123/?t=abc#view=jobs', origins)).toBe('open-in-browser');
    expect(decideWindowOpen('http://127.0.0.1:40124/', origins)).toBe('deny');
    expect(decideWindowOpen('https://127.0.0.1:40123/', origins)).toBe('deny');
    expect(decideWindowOpen('http://localhost:40123/', origins)).toBe('deny');
    expect(decideWindowOpen('https://example.com/', origins)).toBe('deny');
    expect(decideWindowOpen('not a url', origins)).toBe('deny');
  });
});
