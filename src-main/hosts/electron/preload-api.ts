/**
 * What the preload exposes as `window.handshake`, built from two injected functions so it can be
 * tested without Electron. The renderer gets named functions and `on` only: never ipcRenderer,
 * never the IpcRendererEvent (whose `sender` would hand the page an ipcRenderer).
 */
// errors.ts holds no runtime import (zod is imported for types only), so the preload stays small.
import { ERROR_CODES } from '../../../src-shared/errors';
import { PRELOAD_CHANNELS, PUSH_EVENT_NAMES } from './channels';

type PushListener = (message: unknown) => void;

export interface PreloadTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Subscribes to raw push messages; returns an unsubscribe function. */
  onPush(listener: PushListener): () => void;
  /** Tells main the page listens now, so it may deliver the pushes it held. */
  signalReady(): void;
}

const UNSENDABLE_INPUT = {
  ok: false,
  error: { code: ERROR_CODES.invalidInput, message: 'The input could not be sent to the main process (not structured-cloneable)' },
} as const;

function isPushFor(name: string, message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { name?: unknown }).name === name;
}

/**
 * Signals ready once, after the page's first subscription and the rest of that same turn: the
 * renderer subscribes to every push event in one go, so by then it listens to all of them.
 */
function signalReadyOnFirstSubscription(transport: PreloadTransport): () => void {
  let signalled = false;
  return () => {
    if (signalled) return;
    signalled = true;
    void Promise.resolve().then(() => transport.signalReady());
  };
}

export function buildPreloadApi(transport: PreloadTransport): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  const subscribed = signalReadyOnFirstSubscription(transport);
  for (const channel of PRELOAD_CHANNELS) {
    // An envelope even when IPC itself fails: nothing is ever thrown across the boundary.
    api[channel] = (input: unknown) => transport.invoke(channel, input).catch(() => UNSENDABLE_INPUT);
  }
  api.on = (name: unknown, listener: unknown): (() => void) => {
    if (typeof name !== 'string' || !(PUSH_EVENT_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`Unknown push event ${JSON.stringify(name)}; expected one of ${PUSH_EVENT_NAMES.join(', ')}`);
    }
    if (typeof listener !== 'function') throw new TypeError('on(name, listener): listener must be a function');
    const unsubscribe = transport.onPush((message) => {
      if (isPushFor(name, message)) (listener as PushListener)(message);
    });
    subscribed();
    return unsubscribe;
  };
  return Object.freeze(api);
}
