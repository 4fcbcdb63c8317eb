import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, pickTransport } from './client';
import type { Transport } from './transport';
import { makeJob } from '../test/fixtures';

function fakeTransport(reply: unknown): Transport & { calls: Array<[string, unknown]>; push: (raw: unknown) => void } {
  let sink: (raw: unknown) => void = () => {};
  const calls: Array<[string, unknown]> = [];
  return {
    name: 'preload',
    calls,
    push: (raw) => sink(raw),
    async invoke(channel, input) {
      calls.push([channel, input]);
      return reply;
    },
    subscribe(deliver) {
      sink = deliver;
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('createClient', () => {
  it('exposes one function per channel that parses the reply', async () => {
    const job = makeJob();
    const transport = fakeTransport({ ok: true, data: job });
    const client = createClient(transport);
    const result = await client['jobs.get']({ job_id: job.job_id });
    expect(result).toEqual({ ok: true, data: job });
    expect(transport.calls).toEqual([['jobs.get', { job_id: job.job_id }]]);
  });

  it('turns a transport failure into an error result instead of a rejection', async () => {
    const transport = fakeTransport(null);
    transport.invoke = async () => {
      throw new Error('connection refused');
    };
    const result = await createClient(transport)['system.status']({});
    expect(result).toEqual({ ok: false, error: { code: 'CLIENT-TRANSPORT', message: 'connection refused' } });
  });

  it('routes pushes from the transport to listeners', () => {
    const transport = fakeTransport(null);
    const client = createClient(transport);
    const listener = vi.fn();
    client.on('job.changed', listener);
    const job = makeJob();
    transport.push({ seq: 1, name: 'job.changed', payload: { job } });
    expect(listener).toHaveBeenCalledWith({ seq: 1, name: 'job.changed', payload: { job } });
  });
});

describe('pickTransport', () => {
  it('uses the Electron preload when window.handshake exists', async () => {
    const bridge = { 'system.status': vi.fn(async () => ({ ok: true, data: {} })), on: vi.fn(() => () => {}) };
    const transport = pickTransport({ handshake: bridge, location: { protocol: 'app:', hash: '' } } as unknown as Window);
    if (!transport) throw new Error('expected the preload transport');
    expect(transport.name).toBe('preload');
    await transport.invoke('system.status', {});
    expect(bridge['system.status']).toHaveBeenCalledWith({});
  });

  it('gives no transport inside the desktop app when the preload bridge is missing, instead of HTTP against app://', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    expect(pickTransport({ location: { protocol: 'app:', hash: '' } } as unknown as Window)).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('falls back to HTTP, sending no token: the session cookie authorises the page', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, data: {} })));
    vi.stubGlobal('fetch', fetchMock);
    const transport = pickTransport({ location: { protocol: 'http:', hash: '#token=abc123&view=jobs' } } as unknown as Window);
    if (!transport) throw new Error('expected the HTTP transport');
    expect(transport.name).toBe('http');
    await transport.invoke('jobs.list', { limit: 5 });
    expect(fetchMock).toHaveBeenCalledWith('/api/rpc/jobs.list', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 5 }),
    });
  });
});

describe('session loss', () => {
  it('tells listeners when the host answers 401, and not for other errors', async () => {
    const transport = fakeTransport({ ok: false, error: { code: 'HSK-401-UNAUTHORIZED', message: 'Missing or wrong token' } });
    const client = createClient(transport);
    const lost = vi.fn();
    client.onSessionLost(lost);
    await client['system.status']({});
    expect(lost).toHaveBeenCalledTimes(1);
    const other = createClient(fakeTransport({ ok: false, error: { code: 'HSK-404-NOT-FOUND', message: 'no' } }));
    const notLost = vi.fn();
    other.onSessionLost(notLost);
    await other['jobs.get']({ job_id: makeJob().job_id });
    expect(notLost).not.toHaveBeenCalled();
  });
});
