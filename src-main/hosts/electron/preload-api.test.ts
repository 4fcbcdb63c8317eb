import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../../src-shared/ipc';
import { buildPreloadApi, type PreloadTransport } from './preload-api';

function fakeTransport() {
  const listeners = new Set<(message: unknown) => void>();
  const transport: PreloadTransport & { emit(message: unknown): void } = {
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, data: { channel, input } })),
    onPush(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(message) {
      for (const listener of listeners) listener(message);
    },
    signalReady: vi.fn(),
  };
  return transport;
}

describe('buildPreloadApi', () => {
  it('exposes one function per contract channel plus on, and nothing else', () => {
    const api = buildPreloadApi(fakeTransport());
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('is frozen, so the page cannot swap a function', () => {
    const api = buildPreloadApi(fakeTransport());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each call on the IPC channel named after the contract channel', async () => {
    const transport = fakeTransport();
    const api = buildPreloadApi(transport);
    const result = await (api['jobs.get'] as (input: unknown) => Promise<unknown>)({ job_id: 'x' });
    expect(transport.invoke).toHaveBeenCalledWith('jobs.get', { job_id: 'x' });
    expect(result).toEqual({ ok: true, data: { channel: 'jobs.get', input: { job_id: 'x' } } });
  });

  it('answers with an error envelope instead of rejecting when IPC fails', async () => {
    const transport = fakeTransport();
    transport.invoke = async () => {
      throw new Error('An object could not be cloned');
    };
    const api = buildPreloadApi(transport);
    await expect((api['jobs.create'] as (input: unknown) => Promise<unknown>)({ f: () => 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'HSK-400-INVALID-INPUT' },
    });
  });

  it('passes listeners only the push message of their event, and unsubscribes', () => {
    const transport = fakeTransport();
    const api = buildPreloadApi(transport);
    const on = api.on as (name: string, listener: (...args: unknown[]) => void) => () => void;
    const listener = vi.fn();
    const unsubscribe = on('job.changed', listener);
    const message = { seq: 1, name: 'job.changed', payload: { job: {} } };
    transport.emit(message);
    transport.emit({ seq: 2, name: 'event.appended', payload: {} });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([message]);
    unsubscribe();
    transport.emit({ seq: 3, name: 'job.changed', payload: {} });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('refuses an unknown push event name or a non-function listener', () => {
    const api = buildPreloadApi(fakeTransport());
    const on = api.on as (name: unknown, listener: unknown) => () => void;
    expect(() => on('ipc.raw', () => {})).toThrow(TypeError);
    expect(() => on('job.changed', 'not a function')).toThrow(TypeError);
  });

  it('signals ready once, after the page has subscribed to every push event in the same turn', async () => {
    const transport = fakeTransport();
    const api = buildPreloadApi(transport);
    const on = api.on as (name: string, listener: () => void) => () => void;
    await Promise.resolve();
    expect(transport.signalReady).not.toHaveBeenCalled();
    let subscriptionsWhenSignalled = -1;
    let subscriptions = 0;
    (transport.signalReady as ReturnType<typeof vi.fn>).mockImplementation(() => (subscriptionsWhenSignalled = subscriptions));
    for (const name of ['job.changed', 'event.appended', 'recovery.progress']) {
      on(name, () => {});
      subscriptions += 1;
    }
    await vi.waitFor(() => expect(transport.signalReady).toHaveBeenCalledTimes(1));
    expect(subscriptionsWhenSignalled).toBe(3);
    on('job.changed', () => {});
    await Promise.resolve();
    expect(transport.signalReady).toHaveBeenCalledTimes(1);
  });
});
