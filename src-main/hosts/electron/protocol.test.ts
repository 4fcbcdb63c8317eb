import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/security-headers';
import { APP_SCHEME_PRIVILEGES, respondToAppRequest } from './protocol';
import { makeSuiteTempDir } from '../../testing/temp-dir';

let workDir: string;
let rendererDir: string;

beforeAll(() => {
  workDir = makeSuiteTempDir('hsk-protocol-');
  rendererDir = join(workDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(workDir, 'secret.txt'), 'TOP-SECRET');
});


const respond = (url: string, method = 'GET') => respondToAppRequest(rendererDir, new Request(url, { method }));

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
  });

  it('serves index.html at app://handshake/ with its type, length and the security headers', async () => {
    const page = await respond('app://handshake/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-length')).toBe(String('<!doctype html><div id="root"></div>'.length));
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves assets and ignores the query', async () => {
    const script = await respond('app://handshake/assets/app.js?v=1');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers HEAD without a body', async () => {
    const head = await respond('app://handshake/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses other hosts, missing files and directories with 404', async () => {
    for (const url of ['app://other/index.html', 'app://handshake/missing.js', 'app://handshake/assets']) {
      expect((await respond(url)).status, url).toBe(404);
    }
  });

  // The URL parser already folds `..` and `%2e%2e`; encoded separators survive it and must be refused.
  it('never serves a file outside the renderer directory', async () => {
    for (const url of ['app://handshake/../../secret.txt', 'app://handshake/%2e%2e/%2e%2e/secret.txt', 'app://handshake/assets/..%2f..%2fsecret.txt', 'app://handshake/..%5csecret.txt']) {
      const response = await respond(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('TOP-SECRET');
    }
  });

  it('refuses other methods with 405 and the security headers', async () => {
    const post = await respond('app://handshake/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
