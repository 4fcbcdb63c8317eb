/**
 * Push messages as Server-Sent Events. One subscription to the core fans out to every client.
 * The last messages are kept so a reconnecting EventSource (which sends Last-Event-ID) gets what it
 * missed; a client that was away longer sees a jump in `seq` and refetches.
 */
import type { ServerResponse } from 'node:http';
import type { PushMessage } from '../../../src-shared/ipc';
import type { HandshakeCore } from '../../core/types';

export interface EventStreamOptions {
  /** How many recent messages are kept for Last-Event-ID replay. */
  replayLimit?: number;
  /** Comment lines keep idle connections from being timed out by the client or a proxy. */
  heartbeatMs?: number;
  /** A client that stops reading is dropped once this many bytes are queued for it. */
  maxQueuedBytes?: number;
}

export interface EventStream {
  attach(response: ServerResponse, lastEventId: number | null): void;
  readonly clientCount: number;
  close(): void;
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  Connection: 'keep-alive',
} as const;

export function formatSseMessage(message: PushMessage): string {
  return `id: ${message.seq}\ndata: ${JSON.stringify(message)}\n\n`;
}

/** Parses a Last-Event-ID header; anything but a non-negative integer means "no replay". */
export function parseLastEventId(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

export function createEventStream(core: Pick<HandshakeCore, 'subscribe'>, options: EventStreamOptions = {}): EventStream {
  const replayLimit = options.replayLimit ?? 1024;
  const maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
  const clients = new Set<ServerResponse>();
  const recent: PushMessage[] = [];

  function send(client: ServerResponse, chunk: string): void {
    if (client.writableLength > maxQueuedBytes) {
      clients.delete(client);
      client.end();
      return;
    }
    client.write(chunk);
  }

  const unsubscribe = core.subscribe((message) => {
    recent.push(message);
    if (recent.length > replayLimit) recent.shift();
    const chunk = formatSseMessage(message);
    for (const client of clients) send(client, chunk);
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) send(client, ': ping\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  return {
    attach(response, lastEventId) {
      response.writeHead(200, SSE_HEADERS);
      response.write('retry: 2000\n\n');
      if (lastEventId !== null) {
        for (const message of recent) if (message.seq > lastEventId) response.write(formatSseMessage(message));
      }
      // A named milestone: once a client reads this comment, it will receive every later push.
      response.write(': ready\n\n');
      clients.add(response);
      response.on('close', () => clients.delete(response));
    },
    get clientCount() {
      return clients.size;
    },
    close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
