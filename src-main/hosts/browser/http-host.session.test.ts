/**
 * Sessions of the browser host: the page trades its token for an HttpOnly cookie once, so links
 * carry no token; the cookie works only for the page's own requests and dies with the process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStubCore } from '../../testing/stub-core';
import { openEventStream, rawRequest } from '../../testing/http-client';
import { startHttpHost, type HttpHost } from './http-host';
import { cookieValue, isSameOriginFetch, sessionCookieName } from './sessions';

let workDir: string;
let host: HttpHost;

beforeEach(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'hsk-http-session-'));
  writeFileSync(join(workDir, 'index.html'), '<!doctype html><title>Handshake</title>');
  host = await startHttpHost({ core: createStubCore(), rendererDir: workDir, port: 0 });
});

afterEach(async () => {
  await host.close();
  rmSync(workDir, { recursive: true, force: true });
});

function signIn(target: HttpHost, authorization = `Bearer ${target.token}`) {
  return rawRequest({ port: target.port, path: '/api/session', method: 'POST', headers: { authorization } });
}

/** The `name=value` pair of the Set-Cookie header, as a browser would send it back. */
async function sessionCookie(target: HttpHost): Promise<string> {
  const response = await signIn(target);
  const header = response.headers['set-cookie']?.[0] ?? '';
  return header.split(';')[0]!;
}

function statusWith(target: HttpHost, headers: Record<string, string>) {
  return rawRequest({ port: target.port, path: '/api/rpc/system.status', method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
}

describe('browser host sessions', () => {
  it('trades the token for an HttpOnly, SameSite=Strict cookie named after the port', async () => {
    const response = await signIn(host);
    expect(response.status).toBe(200);
    const header = response.headers['set-cookie']?.[0] ?? '';
    expect(header).toMatch(new RegExp(`^${sessionCookieName(host.port)}=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(header).not.toContain(host.token);
  });

  it('opens no session without the right token, nor for a cookie alone', async () => {
    for (const authorization of ['', 'Bearer wrong']) {
      const response = await signIn(host, authorization);
      expect(response.status).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const cookie = await sessionCookie(host);
    const again = await rawRequest({ port: host.port, path: '/api/session', method: 'POST', headers: { cookie } });
    expect(again.status).toBe(401);
  });

  it('accepts the cookie for RPC, the event stream and the session check, but not from another origin', async () => {
    const cookie = await sessionCookie(host);
    expect((await statusWith(host, { cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await rawRequest({ port: host.port, path: '/api/session', headers: { cookie } })).status).toBe(200);
    const stream = await openEventStream(host.port, '/api/events', { cookie });
    expect(stream.status).toBe(200);
    stream.close();
    // Another port of 127.0.0.1 is the same site: SameSite would send the cookie, Sec-Fetch-Site tells.
    expect((await statusWith(host, { cookie, 'sec-fetch-site': 'same-site' })).status).toBe(401);
    expect((await statusWith(host, { cookie: `${sessionCookieName(host.port)}=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await rawRequest({ port: host.port, path: '/api/session' })).status).toBe(401);
  });

  it('ends sessions with the process: a restarted host refuses the old cookie', async () => {
    const cookie = await sessionCookie(host);
    const restarted = await startHttpHost({ core: createStubCore(), rendererDir: workDir, port: 0 });
    try {
      const renamed = cookie.replace(sessionCookieName(host.port), sessionCookieName(restarted.port));
      expect((await statusWith(restarted, { cookie: renamed })).status).toBe(401);
      expect((await statusWith(restarted, { authorization: `Bearer ${restarted.token}` })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('session helpers', () => {
  it('reads one cookie among several', () => {
    expect(cookieValue('a=1; hsk_session_80=abc; b=2', 'hsk_session_80')).toBe('abc');
    expect(cookieValue('hsk_session_8080=abc', 'hsk_session_80')).toBeNull();
    expect(cookieValue(undefined, 'x')).toBeNull();
  });

  it('counts only the page’s own requests as same-origin', () => {
    expect(['same-origin', 'none', undefined].map(isSameOriginFetch)).toEqual([true, true, true]);
    expect(['same-site', 'cross-site'].map(isSameOriginFetch)).toEqual([false, false]);
  });
});
