/**
 * One ipcMain.handle per channel, each checking the sender before the router sees the input, and
 * the page's ready signal for pushes.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { ERROR_CODES } from '../../../src-shared/errors';
import { CHANNEL_NAMES, type Envelope } from '../../../src-shared/ipc';
import type { Router } from '../../ipc/router';
import { RENDERER_READY_IPC_CHANNEL } from './channels';
import { isTrustedSender } from './security';

const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { code: ERROR_CODES.forbidden, message: 'IPC is only answered for the app window' },
};

function senderOf(event: IpcMainInvokeEvent | IpcMainEvent) {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { url: frame.url, isMainFrame: frame === event.sender.mainFrame };
}

export function registerIpcHandlers(ipcMain: IpcMain, router: Router): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(senderOf(event))) {
        console.error(`[ipc] refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return FORBIDDEN;
      }
      return router.call(channel, input);
    });
  }
  return () => {
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}

/** Calls `onReady` when the app page in `contents` (its main frame, on app://) says it listens. */
export function onRendererReady(ipcMain: IpcMain, contents: WebContents, onReady: () => void): void {
  ipcMain.on(RENDERER_READY_IPC_CHANNEL, (event) => {
    if (event.sender === contents && isTrustedSender(senderOf(event))) onReady();
  });
}
