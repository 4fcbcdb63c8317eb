import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../src-shared/ipc';
import { createRouter } from '../../ipc/router';
import { createStubCore } from '../../testing/stub-core';
import { registerIpcHandlers } from './ipc';

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
    for (const event of events) {
      expect(await create?.(event, NEW_JOB)).toMatchObject({ ok: false, error: { code: 'HSK-403-FORBIDDEN' } });
    }
    expect(core.calls).toEqual([]);
  });
});
