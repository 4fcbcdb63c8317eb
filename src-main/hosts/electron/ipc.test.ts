import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../../src-shared/ipc';
import { createRouter } from '../../ipc/router';
import { createStubCore } from '../../testing/stub-core';
import { RENDERER_READY_IPC_CHANNEL } from './channels';
import { onRendererReady, registerIpcHandlers } from './ipc';

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMain;
  return { ipcMain, handlers };
}

function eventFrom(url: string, { mainFrame = true } = {}): IpcMainInvokeEvent {
  const frame = { url };
  const sender = { mainFrame: mainFrame ? frame : { url } };
  return { senderFrame: frame, sender } as unknown as IpcMainInvokeEvent;
}

const NEW_JOB = { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { text: 'Fix the typos.' } };

describe('registerIpcHandlers', () => {
  it('registers one handler per channel, named after the channel, and removes them again', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerIpcHandlers(ipcMain, createRouter(createStubCore().handlers));
    expect([...handlers.keys()]).toEqual(CHANNEL_NAMES);
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers the app window\'s main frame through the router', async () => {
    const core = createStubCore();
    const { ipcMain, handlers } = fakeIpcMain();
    registerIpcHandlers(ipcMain, createRouter(core.handlers));
    const envelope = await handlers.get('jobs.create')?.(eventFrom('app://handshake/index.html'), NEW_JOB);
    expect(envelope).toMatchObject({ ok: true, data: { job_kind: 'doc_edit' } });
  });

  it('refuses a foreign origin, a subframe and a destroyed frame before any handler runs', async () => {
    const core = createStubCore();
    const { ipcMain, handlers } = fakeIpcMain();
    registerIpcHandlers(ipcMain, createRouter(core.handlers));
    const create = handlers.get('jobs.create');
    const events = [
      eventFrom('https://evil.example/'),
      eventFrom('app://handshake/index.html', { mainFrame: false }),
      { senderFrame: null, sender: { mainFrame: null } } as unknown as IpcMainInvokeEvent,
    ];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const event of events) {
      expect(await create?.(event, NEW_JOB)).toMatchObject({ ok: false, error: { code: 'HSK-403-FORBIDDEN' } });
    }
    const refusals = [...logged.mock.calls];
    logged.mockRestore();
    expect(core.calls).toEqual([]);
    expect(refusals).toEqual([
      ['[ipc] refused jobs.create from https://evil.example/'],
      ['[ipc] refused jobs.create from app://handshake/index.html'],
      ['[ipc] refused jobs.create from a destroyed frame'],
    ]);
  });
});

describe('onRendererReady', () => {
  function fakeIpcMainEvents() {
    const listeners = new Map<string, (event: IpcMainEvent) => void>();
    const ipcMain = { on: (channel: string, listener: (event: IpcMainEvent) => void) => listeners.set(channel, listener) } as unknown as IpcMain;
    return { ipcMain, emit: (channel: string, event: IpcMainEvent) => listeners.get(channel)?.(event) };
  }

  it('accepts the signal from the app window\'s main frame only', () => {
    const { ipcMain, emit } = fakeIpcMainEvents();
    const appFrame = { url: 'app://handshake/index.html' };
    const contents = { mainFrame: appFrame };
    const onReady = vi.fn();
    onRendererReady(ipcMain, contents as unknown as WebContents, onReady);
    const from = (sender: object, senderFrame: object | null) => ({ sender, senderFrame }) as unknown as IpcMainEvent;
    emit(RENDERER_READY_IPC_CHANNEL, from({ mainFrame: appFrame }, appFrame));
    emit(RENDERER_READY_IPC_CHANNEL, from(contents, { url: 'app://handshake/index.html' }));
    const foreign = { url: 'https://evil.example/' };
    emit(RENDERER_READY_IPC_CHANNEL, from({ mainFrame: foreign }, foreign));
    expect(onReady).not.toHaveBeenCalled();
    emit(RENDERER_READY_IPC_CHANNEL, from(contents, appFrame));
    expect(onReady).toHaveBeenCalledTimes(1);
  });
});
