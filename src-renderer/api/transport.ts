/**
 * The two ways to reach the main process. Each returns the raw envelope (unknown) for a channel and
 * feeds raw push messages into a sink; parsing is the client's job, not the transport's.
 */
import type { Channel } from '../../src-shared/ipc';

export interface Transport {
  readonly name: 'preload' | 'http';
  invoke(channel: Channel, input: unknown): Promise<unknown>;
  /**
   * Starts delivering raw push messages; `onReconnect` fires after the stream was re-established,
   * `onClosed` when the host ended it for good (the browser host does that to a lost session).
   */
  subscribe(sink: (raw: unknown) => void, onReconnect: () => void, onClosed?: () => void): void;
}

/** What the Electron preload exposes: one function per channel, plus `on`. */
export type PreloadBridge = Record<string, unknown> & {
  on: (name: string, listener: (message: unknown) => void) => () => void;
};

export function preloadTransport(bridge: PreloadBridge, pushNames: readonly string[]): Transport {
  return {
    name: 'preload',
    async invoke(channel, input) {
      const fn = bridge[channel];
      if (typeof fn !== 'function') throw new Error(`the preload does not expose ${channel}`);
      return (fn as (input: unknown) => Promise<unknown>)(input);
    },
    subscribe(sink) {
      for (const name of pushNames) bridge.on(name, sink);
    },
  };
}

/**
 * Browser host. The page has signed in (api/session.ts) and holds an HttpOnly session cookie,
 * which the browser sends with every same-origin request: no token in the page or its links.
 */
export function httpTransport(): Transport {
  return {
    name: 'http',
    async invoke(channel, input) {
      const response = await fetch(`/api/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return response.json();
    },
    subscribe(sink, onReconnect, onClosed) {
      const source = new EventSource('/api/events');
      let opened = false;
      source.addEventListener('open', () => {
        if (opened) onReconnect();
        opened = true;
      });
      // EventSource retries a dropped connection by itself; it closes only on a refusal (401).
      source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED) onClosed?.();
      });
      const deliver = (event: MessageEvent) => {
        try {
          sink(JSON.parse(String(event.data)));
        } catch {
          // A message that is not JSON carries nothing we can use; the seq gap check covers losses.
        }
      };
      // The host sends every push as an unnamed message; its name is in the payload.
      source.addEventListener('message', deliver);
    },
  };
}
