/**
 * Sandboxed preload: it may only require 'electron'. Everything it exposes is built in preload-api.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { PUSH_IPC_CHANNEL, RENDERER_READY_IPC_CHANNEL } from './channels';
import { buildPreloadApi } from './preload-api';

const api = buildPreloadApi({
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  onPush(listener) {
    const forward = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(PUSH_IPC_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(PUSH_IPC_CHANNEL, forward);
    };
  },
  signalReady: () => ipcRenderer.send(RENDERER_READY_IPC_CHANNEL),
});

contextBridge.exposeInMainWorld('handshake', api);
