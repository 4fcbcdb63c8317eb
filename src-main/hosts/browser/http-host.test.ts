import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, PUSH_EVENTS } from '../../../src-shared/ipc';
import { createStubCore, type StubCore } from '../../testing/stub-core';
import { startHttpHost, type HttpHost } from './http-host';
import { CONTENT_SECURITY_POLICY } from '../shared/security-headers';
import { openEventStream, rawRequest, type RawRequest } from '../../testing/http-client';

let workDir: string;
let core: StubCore;
let host: HttpHost;

beforeEach(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'hsk-http-host-'));
  const rendererDir = join(workDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Handshake</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(workDir, 'secret.txt'), 'TOP-SECRET');
  core = createStubCore(join(workDir, 'data'));
  host = await startHttpHost({ core, rendererDir, port: 0 });
});

afterEach(async () => {
  await host.close();
  rmSync(workDir, { recursive: true, force: true });
});

function rpc(channel: string, body: unknown, headers: Record<string, string> = {}, extra: Partial<RawRequest> = {}) {
  return rawRequest({
    port: host.port,
    path: `/api/rpc/${channel}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...extra,
  });
}

const NEW_JOB = { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'Summarise this.', doc_id: '00000000-0000-4000-8000-0000000000d0' } };

describe('startHttpHost: address and token', () => {
  it('listens on 127.0.0.1 and puts a fresh 64-hex-digit token in the URL fragment', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    const second = await startHttpHost({ core: createStubCore(), rendererDir: workDir, port: 0 });
    try {
      expect(second.token).not.toBe(host.token);
    } finally {
      await second.close();
    }
  });
});

describe('startHttpHost: RPC', () => {
  it('answers a valid call with HTTP 200 and an ok envelope', async () => {
    const response = await rpc('system.status', {});
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, data: { recovery: { state: 'complete' } } });
  });

  it('treats an empty body as an empty input', async () => {
    const response = await rpc('system.status', '');
    expect(JSON.parse(response.body)).toMatchObject({ ok: true });
  });

  it('stores term_exec as terminal_exec', async () => {
    const response = await rpc('jobs.create', { job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec' } });
  });

  it('rejects a missing token with 401 and stores nothing', async () => {
    const response = await rpc('jobs.create', NEW_JOB, { authorization: '' });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'HSK-401-UNAUTHORIZED' } });
    expect(core.calls).toEqual([]);
    expect(core.jobs.size).toBe(0);
  });

  it('rejects a wrong token with 401 and stores nothing', async () => {
    const sameLength = host.token.replace(/^./, (first) => (first === 'a' ? 'b' : 'a'));
    for (const wrong of [sameLength, 'short', `${host.token}0`]) {
      const response = await rpc('jobs.create', NEW_JOB, { authorization: `Bearer ${wrong}` });
      expect(response.status).toBe(401);
    }
    expect(core.calls).toEqual([]);
  });

  it('does not accept the token in the query string for RPC', async () => {
    const response = await rpc('jobs.create', NEW_JOB, { authorization: '' }, { path: `/api/rpc/jobs.create?token=${host.token}` });
    expect(response.status).toBe(401);
    expect(core.calls).toEqual([]);
  });

  it('rejects a foreign Host header with 403 (DNS rebinding) and stores nothing', async () => {
    const response = await rpc('jobs.create', NEW_JOB, { host: `evil.example:${host.port}` });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'HSK-403-FORBIDDEN' } });
    expect(core.calls).toEqual([]);
  });

  it('rejects a foreign Origin with 403 and stores nothing', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      const response = await rpc('jobs.create', NEW_JOB, { origin });
      expect(response.status).toBe(403);
    }
    expect(core.calls).toEqual([]);
  });

  it('accepts its own origin and the localhost name', async () => {
    const response = await rpc('system.status', {}, { origin: `http://localhost:${host.port}`, host: `localhost:${host.port}` });
    expect(response.status).toBe(200);
  });

  it('rejects a body over 1 MiB with 413 and stores nothing', async () => {
    const big = JSON.stringify({ ...NEW_JOB, job_inputs: { text: 'x'.repeat(1024 * 1024) } });
    const response = await rpc('jobs.create', big);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'HSK-413-PAYLOAD-TOO-LARGE' } });
    expect(core.calls).toEqual([]);
  });

  it('rejects a chunked body that grows over 1 MiB with 413', async () => {
    const big = JSON.stringify({ ...NEW_JOB, job_inputs: { text: 'x'.repeat(1024 * 1024) } });
    const response = await rpc('jobs.create', big, { 'transfer-encoding': 'chunked' });
    expect(response.status).toBe(413);
    expect(core.calls).toEqual([]);
  });

  it('answers malformed JSON with a 400 HSK-400-INVALID-JSON envelope', async () => {
    const response = await rpc('jobs.create', '{"job_kind": "doc_edit",');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ ok: false, error: { code: 'HSK-400-INVALID-JSON', message: expect.any(String) } });
    expect(core.calls).toEqual([]);
  });

  it('answers an unknown job kind with a 400 HSK-400-INVALID-JOB-KIND envelope and stores nothing', async () => {
    const response = await rpc('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-JOB-KIND' } });
    expect(core.jobs.size).toBe(0);
  });

  it('answers an unknown channel with a 404 envelope', async () => {
    const response = await rpc('jobs.drop', {});
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'HSK-404-NOT-FOUND' } });
  });

  it('answers an undecodable channel name with a 404 envelope', async () => {
    const response = await rpc('jobs.%E0%A4%A', {});
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'HSK-404-NOT-FOUND' } });
  });

  it('refuses GET on an RPC route with 405 and its own code', async () => {
    const response = await rawRequest({ port: host.port, path: '/api/rpc/system.status', headers: { authorization: `Bearer ${host.token}` } });
    expect(response.status).toBe(405);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'HSK-405-METHOD-NOT-ALLOWED' } });
    expect(core.calls).toEqual([]);
  });

  it('refuses a lone UTF-16 surrogate with a 400 naming the field, instead of storing U+FFFD', async () => {
    const response = await rpc('jobs.create', '{"job_kind":"doc_edit","protocol_id":"p","job_inputs":{"note":"a\\ud800b"}}');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      ok: false,
      error: { code: 'HSK-400-INVALID-INPUT', details: { issues: [{ path: 'job_inputs.note', code: 'invalid_text' }] } },
    });
    expect(core.calls).toEqual([]);
  });

  it('treats an upload the client aborts as gone: no error log, no answer, and the host keeps serving', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      await new Promise<void>((resolve) => {
        const socket = connect(host.port, '127.0.0.1', () => {
          socket.write(
            `POST /api/rpc/jobs.create HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"job_kind":`,
            () => socket.destroy(),
          );
        });
        socket.on('close', () => resolve());
      });
      expect((await rpc('system.status', {})).status).toBe(200);
    } finally {
      console.error = original;
    }
    expect(errors).toEqual([]);
    expect(core.calls.map((call) => call.channel)).toEqual(['system.status']);
  });

  it('sends no CORS headers, even to a preflight', async () => {
    const preflight = await rawRequest({
      port: host.port,
      path: '/api/rpc/jobs.create',
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    const ok = await rpc('system.status', {});
    for (const response of [preflight, ok]) {
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('startHttpHost: GET /api/schema', () => {
  const schema = (headers: Record<string, string>, method = 'GET') => rawRequest({ port: host.port, path: '/api/schema', method, headers });

  it('serves every channel input and output and every push event as JSON Schema, with the token', async () => {
    const response = await schema({ authorization: `Bearer ${host.token}` });
    expect(response.status).toBe(200);
    const document = JSON.parse(response.body) as { channels: Record<string, { input: { additionalProperties?: boolean } }>; push_events: Record<string, unknown>; $defs: Record<string, unknown> };
    expect(Object.keys(document.channels)).toEqual(CHANNEL_NAMES);
    expect(Object.keys(document.push_events)).toEqual(Object.keys(PUSH_EVENTS));
    expect(document.channels['jobs.list']!.input.additionalProperties).toBe(false);
    expect(Object.keys(document.$defs)).toEqual(expect.arrayContaining(['AiJob', 'FlightEvent', 'WorkflowRun']));
  });

  it('refuses a missing token with 401 and a POST with 405', async () => {
    expect((await schema({})).status).toBe(401);
    expect((await schema({ authorization: `Bearer ${host.token}` }, 'POST')).status).toBe(405);
  });
});

describe('startHttpHost: static files', () => {
  it('serves index.html at / with the security headers', async () => {
    const response = await rawRequest({ port: host.port, path: '/' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('<div id="root">');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content types', async () => {
    const js = await rawRequest({ port: host.port, path: '/assets/app.js' });
    const css = await rawRequest({ port: host.port, path: '/assets/app.css' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('rejects path traversal in every spelling', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/%00', '/%E0%A4%A']) {
      const response = await rawRequest({ port: host.port, path });
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('TOP-SECRET');
    }
  });

  it('refuses a foreign Host for pages too', async () => {
    const response = await rawRequest({ port: host.port, path: '/', headers: { host: 'rebind.example' } });
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('<div id="root">');
  });

  it('answers 404 for a missing file and a directory', async () => {
    expect((await rawRequest({ port: host.port, path: '/nope.js' })).status).toBe(404);
    expect((await rawRequest({ port: host.port, path: '/assets' })).status).toBe(404);
  });
});

describe('startHttpHost: Server-Sent Events', () => {
  it('refuses a stream without the token with 401', async () => {
    const stream = await openEventStream(host.port, '/api/events');
    expect(stream.status).toBe(401);
    const wrong = await openEventStream(host.port, '/api/events?token=nope');
    expect(wrong.status).toBe(401);
  });

  it('delivers push messages with id and data, to a client using ?token=', async () => {
    const stream = await openEventStream(host.port, `/api/events?token=${host.token}`);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await rpc('jobs.create', NEW_JOB);
    const message = await stream.nextMessage();
    expect(message.id).toBe('1');
    expect(message.data).toMatchObject({ seq: 1, name: 'job.changed', payload: { job: { job_kind: 'doc_summarize', state: 'queued' } } });
    stream.close();
  });

  it('accepts the Bearer header on the stream', async () => {
    const stream = await openEventStream(host.port, '/api/events', { authorization: `Bearer ${host.token}` });
    expect(stream.status).toBe(200);
    stream.close();
  });

  it('replays what a reconnecting client missed after Last-Event-ID', async () => {
    await rpc('jobs.create', NEW_JOB);
    await rpc('jobs.create', NEW_JOB);
    await rpc('jobs.create', NEW_JOB);
    const stream = await openEventStream(host.port, `/api/events?token=${host.token}`, { 'last-event-id': '1' });
    expect((await stream.nextMessage()).id).toBe('2');
    expect((await stream.nextMessage()).id).toBe('3');
    stream.close();
  });

  it('ends open streams when the host closes', async () => {
    const stream = await openEventStream(host.port, `/api/events?token=${host.token}`);
    await host.close();
    await stream.ended;
  });
});
