/**
 * The built preload (out/preload/index.cjs) run in a fresh vm context where `require` knows only
 * `electron` (a recording stand-in), as a sandboxed preload's does: it must load with nothing else,
 * expose exactly the contract plus `on`, frozen, and never hand the page an IPC event.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../src-shared/ipc';
import { PROJECT_ROOT } from '../shared/renderer-build';
import { PUSH_IPC_CHANNEL, RENDERER_READY_IPC_CHANNEL } from './channels';

const PRELOAD_FILE = join(PROJECT_ROOT, 'out/preload/index.cjs');

type Listener = (event: unknown, ...args: unknown[]) => void;
type Api = Record<string, (...args: unknown[]) => unknown>;

function runBuiltPreload() {
  const required: string[] = [];
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, data: { channel } };
    },
    send: (...args: unknown[]) => void sent.push(args),
    on(channel: string, listener: Listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const electron = { contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) }, ipcRenderer };
  const sandboxedRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id} (a sandboxed preload can only require electron)`);
  };
  const module = { exports: {} };
  const wrapped = runInNewContext(`(function (exports, require, module) {${readFileSync(PRELOAD_FILE, 'utf8')}\n})`, {}, { filename: PRELOAD_FILE });
  (wrapped as (exports: object, require: unknown, module: object) => void)(module.exports, sandboxedRequire, module);
  const emitPush = (message: unknown) => {
    // The page-side listener must never see this event: its `sender` is the ipcRenderer.
    for (const listener of listeners.get(PUSH_IPC_CHANNEL) ?? []) listener({ sender: ipcRenderer, ports: [] }, message);
  };
  return { required, exposed, invoked, sent, emitPush, api: exposed.get('handshake') as Api };
}

describe('the built preload', () => {
  it('requires electron and nothing else', () => {
    expect(runBuiltPreload().required).toEqual(['electron']);
  });

  it('exposes only window.handshake: one function per contract channel plus on, frozen', () => {
    const { exposed, api } = runBuiltPreload();
    expect([...exposed.keys()]).toEqual(['handshake']);
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the IPC channel named after each contract channel', async () => {
    const { api, invoked } = runBuiltPreload();
    for (const channel of CHANNEL_NAMES) await api[channel]?.({ probe: channel });
    expect(invoked).toEqual(CHANNEL_NAMES.map((channel) => [channel, { probe: channel }]));
  });

  it('passes listeners the push message alone, never the IPC event, and signals ready once', async () => {
    const { api, emitPush, sent } = runBuiltPreload();
    const received: unknown[][] = [];
    api.on?.('job.changed', (...args: unknown[]) => received.push(args));
    api.on?.('event.appended', () => {});
    const message = { seq: 1, name: 'job.changed', payload: { job: {} } };
    emitPush(message);
    emitPush({ seq: 2, name: 'recovery.progress', payload: {} });
    expect(received).toEqual([[message]]);
    await Promise.resolve();
    expect(sent).toEqual([[RENDERER_READY_IPC_CHANNEL]]);
  });

  it('refuses an unknown push event name', () => {
    const { api } = runBuiltPreload();
    expect(() => api.on?.('ipc.raw', () => {})).toThrow(/Unknown push event/);
  });
});
