/**
 * What the preload exposes as `window.handshake`, built from two injected functions so it can be
 * tested without Electron. The renderer gets named functions and `on` only: never ipcRenderer,
 * never the IpcRendererEvent (whose `sender` would hand the page an ipcRenderer).
 */
import { PRELOAD_CHANNELS, PUSH_EVENT_NAMES } from './channels';

type PushListener = (message: unknown) => void;

export interface PreloadTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Subscribes to raw push messages; returns an unsubscribe function. */
  onPush(listener: PushListener): () => void;
}

const UNSENDABLE_INPUT = {
  ok: false,
  error: { code: 'HSK-400-INVALID-INPUT', message: 'The input could not be sent to the main process (not structured-cloneable)' },
} as const;

function isPushFor(name: string, message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { name?: unknown }).name === name;
}

export function buildPreloadApi(transport: PreloadTransport): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const channel of PRELOAD_CHANNELS) {
    // An envelope even when IPC itself fails: nothing is ever thrown across the boundary.
    api[channel] = (input: unknown) => transport.invoke(channel, input).catch(() => UNSENDABLE_INPUT);
  }
  api.on = (name: unknown, listener: unknown): (() => void) => {
    if (typeof name !== 'string' || !(PUSH_EVENT_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`Unknown push event ${JSON.stringify(name)}; expected one of ${PUSH_EVENT_NAMES.join(', ')}`);
    }
    if (typeof listener !== 'function') throw new TypeError('on(name, listener): listener must be a function');
    return transport.onPush((message) => {
      if (isPushFor(name, message)) (listener as PushListener)(message);
    });
  };
  return Object.freeze(api);
}
