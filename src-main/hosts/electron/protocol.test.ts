import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/security-headers';
import { APP_SCHEME_PRIVILEGES, resolveAppRequest, respondToAppRequest } from './protocol';

let workDir: string;
let rendererDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'hsk-protocol-'));
  rendererDir = join(workDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(workDir, 'secret.txt'), 'TOP-SECRET');
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
  });

  it('maps app://handshake/ paths into the renderer directory', () => {
    expect(resolveAppRequest(rendererDir, 'app://handshake/')).toBe(join(rendererDir, 'index.html'));
    expect(resolveAppRequest(rendererDir, 'app://handshake/assets/app.js?v=1')).toBe(join(rendererDir, 'assets', 'app.js'));
  });

  it('rejects other hosts', () => {
    expect(resolveAppRequest(rendererDir, 'app://other/index.html')).toBeNull();
  });

  // The URL parser already folds `..` and `%2e%2e`; encoded separators survive it and must be refused.
  it('never resolves a path outside the renderer directory', () => {
    for (const url of ['app://handshake/../../secret.txt', 'app://handshake/%2e%2e/%2e%2e/secret.txt', 'app://handshake/assets/..%2f..%2fsecret.txt', 'app://handshake/..%5csecret.txt']) {
      const file = resolveAppRequest(rendererDir, url);
      if (file !== null) expect(file.startsWith(rendererDir + sep), url).toBe(true);
    }
    expect(resolveAppRequest(rendererDir, 'app://handshake/assets/..%2f..%2fsecret.txt')).toBeNull();
    expect(resolveAppRequest(rendererDir, 'app://handshake/..%5csecret.txt')).toBeNull();
  });

  it('serves files with their content type and the CSP, and 404 for traversal', async () => {
    const page = await respondToAppRequest(rendererDir, new Request('app://handshake/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const secret = await respondToAppRequest(rendererDir, new Request('app://handshake/%2e%2e/secret.txt'));
    expect(secret.status).toBe(404);
    expect(await secret.text()).not.toContain('TOP-SECRET');
    const missing = await respondToAppRequest(rendererDir, new Request('app://handshake/missing.js'));
    expect(missing.status).toBe(404);
  });
});
