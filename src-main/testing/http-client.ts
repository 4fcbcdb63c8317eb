/**
 * A raw HTTP client for host tests. fetch() normalises paths (`/../x` -> `/x`) and will not send a
 * foreign Host header, which are exactly the requests these tests need to send.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function rawRequest({ port, path, method = 'GET', headers = {}, body }: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface SseConnection {
  status: number;
  headers: IncomingHttpHeaders;
  /** Resolves with the next `data:` payload (parsed) and its `id:`. */
  nextMessage(): Promise<{ id: string | null; data: unknown }>;
  close(): void;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
}

/** Opens an SSE stream and resolves once the host reports it is subscribed (the `: ready` comment). */
export function openEventStream(port: number, path: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      const messages: { id: string | null; data: unknown }[] = [];
      const waiters: ((message: { id: string | null; data: unknown }) => void)[] = [];
      let ready = false;
      const ended = new Promise<void>((done) => res.on('end', done));
      const connection: SseConnection = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        nextMessage: () => {
          const queued = messages.shift();
          return queued ? Promise.resolve(queued) : new Promise((deliver) => waiters.push(deliver));
        },
        close: () => req.destroy(),
        ended,
      };
      if (res.statusCode !== 200) {
        res.resume();
        resolve(connection);
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
          if (block === ': ready' && !ready) {
            ready = true;
            resolve(connection);
            continue;
          }
          const dataLine = block.split('\n').find((line) => line.startsWith('data: '));
          if (!dataLine) continue;
          const idLine = block.split('\n').find((line) => line.startsWith('id: '));
          const message = { id: idLine ? idLine.slice(4) : null, data: JSON.parse(dataLine.slice(6)) as unknown };
          const waiter = waiters.shift();
          if (waiter) waiter(message);
          else messages.push(message);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
