/**
 * The browser host: the IPC contract over HTTP on 127.0.0.1, plus the built renderer.
 *   POST /api/rpc/<channel>   JSON body -> JSON envelope        (Authorization: Bearer TOKEN)
 *   GET  /api/events          Server-Sent Events of PushMessage  (Bearer, or ?token= for EventSource)
 *   GET  /api/schema          the contract as JSON Schema        (Authorization: Bearer TOKEN)
 *   POST /api/session         Bearer TOKEN -> a session cookie for the page (GET: is it signed in?)
 *   GET  /*                   files of the built renderer
 * The page signs in once with the token from its address and then uses the session cookie, so
 * links it makes carry no token (sessions.ts). Scripts use the bearer token throughout.
 * Every request must carry this host's own Host header (and Origin, when present): see request-guard.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERROR_CODES, type ErrorCode } from '../../../src-shared/errors';
import { contractDocument, type ContractDocument } from '../../../src-shared/api-reference';
import type { Envelope } from '../../../src-shared/ipc';
import type { HandshakeCore } from '../../core/types';
import { createRouter, type Router } from '../../ipc/router';
import { createEventStream, parseLastEventId, type EventStream } from './event-stream';
import { bearerToken, isAllowedHost, isAllowedOrigin, newToken, tokenMatches } from './request-guard';
import { isSameOriginFetch, SessionStore } from './sessions';
import { SECURITY_HEADERS } from '../shared/security-headers';
import { respondWithRendererFile, sendResponse } from '../shared/static-response';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this, an oversized body is not drained politely: the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface HttpHostOptions {
  core: HandshakeCore;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  maxBodyBytes?: number;
}

export interface HttpHost {
  readonly port: number;
  readonly token: string;
  /** The address to open, with the token in the fragment (never sent to the server by a browser). */
  readonly url: string;
  close(): Promise<void>;
}

/** The HTTP status that goes with an error code: its three digits (HSK-404-... -> 404). */
export function httpStatusFor(envelope: Envelope<unknown>): number {
  if (envelope.ok) return 200;
  const status = Number(/^HSK-(\d{3})/.exec(envelope.error.code)?.[1]);
  return status >= 400 && status <= 599 ? status : 500;
}

function sendJson(response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, code: ErrorCode, message: string, extraHeaders?: Record<string, string>): void {
  sendJson(response, status, { ok: false, error: { code, message } } satisfies Envelope<never>, extraHeaders);
}

type BodyResult = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads the body up to `limit` bytes; a larger body is drained (or the socket dropped) and
 * reported. A client that goes away mid-upload is an ordinary event, not a failure: there is
 * nobody left to answer.
 */
function readBody(request: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_DRAIN_BYTES) {
        request.destroy();
        return;
      }
      if (received <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(received > limit ? { kind: 'too-large' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    // Node reports an aborted upload as an error ('aborted', ECONNRESET) and then a close.
    request.on('error', () => resolve({ kind: 'aborted' }));
    request.on('close', () => {
      if (!request.complete) resolve({ kind: 'aborted' });
    });
  });
}

function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false } {
  // No body means "no input": `curl -X POST .../system.status` works without `-d '{}'`.
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function decodeChannel(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
}

class HostRequestHandler {
  private schema: ContractDocument | null = null;
  private readonly sessions: SessionStore;

  constructor(
    private readonly router: Router,
    private readonly events: EventStream,
    private readonly rendererDir: string,
    private readonly token: string,
    private readonly maxBodyBytes: number,
    private readonly port: () => number,
  ) {
    this.sessions = new SessionStore(port);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const port = this.port();
    if (!isAllowedHost(request.headers.host, port)) {
      return sendError(response, 403, ERROR_CODES.forbidden, 'Foreign Host header refused');
    }
    if (!isAllowedOrigin(request.headers.origin, port)) {
      return sendError(response, 403, ERROR_CODES.forbidden, 'Foreign Origin refused');
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const context = { request, response, url };
    if (url.pathname === '/api/events') return this.serveEvents(context);
    if (url.pathname === '/api/schema') return this.serveSchema(context);
    if (url.pathname === '/api/session') return this.serveSession(context);
    if (url.pathname.startsWith('/api/rpc/')) return this.serveRpc(context);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      if (!this.authorized(request)) return this.unauthorized(response);
      return sendError(response, 404, ERROR_CODES.notFound, 'No such API route');
    }
    return this.serveStatic(context);
  }

  private authorized(request: IncomingMessage, queryToken: string | null = null): boolean {
    if (tokenMatches(bearerToken(request.headers.authorization) ?? queryToken, this.token)) return true;
    const secFetchSite = request.headers['sec-fetch-site'];
    return isSameOriginFetch(typeof secFetchSite === 'string' ? secFetchSite : undefined) && this.sessions.holds(request.headers.cookie);
  }

  /** POST: trade the token for a session cookie (the token only, never a cookie). GET: signed in? */
  private serveSession({ request, response }: RequestContext): void {
    if (request.method === 'GET') {
      if (!this.authorized(request)) return this.unauthorized(response);
      return sendJson(response, 200, { ok: true, data: { signed_in: true } });
    }
    if (request.method !== 'POST') {
      return sendError(response, 405, ERROR_CODES.notFound, 'Use POST (sign in) or GET (check) for /api/session', { Allow: 'GET, POST' });
    }
    if (!tokenMatches(bearerToken(request.headers.authorization), this.token)) return this.unauthorized(response);
    sendJson(response, 200, { ok: true, data: { signed_in: true } }, { 'Set-Cookie': this.sessions.open() });
  }

  private unauthorized(response: ServerResponse): void {
    sendError(response, 401, ERROR_CODES.unauthorized, 'Missing or wrong token', { 'WWW-Authenticate': 'Bearer' });
  }

  private async serveRpc({ request, response, url }: RequestContext): Promise<void> {
    if (!this.authorized(request)) return this.unauthorized(response);
    if (request.method !== 'POST') {
      return sendError(response, 405, ERROR_CODES.methodNotAllowed, 'Use POST for /api/rpc/<channel>', { Allow: 'POST' });
    }
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > this.maxBodyBytes) {
      sendError(response, 413, ERROR_CODES.payloadTooLarge, `Body over ${this.maxBodyBytes} bytes`, { Connection: 'close' });
      request.destroy();
      return;
    }
    const body = await readBody(request, this.maxBodyBytes);
    if (body.kind === 'aborted') return void response.destroy();
    if (body.kind === 'too-large') {
      return sendError(response, 413, ERROR_CODES.payloadTooLarge, `Body over ${this.maxBodyBytes} bytes`);
    }
    const parsed = parseJsonBody(body.text);
    if (!parsed.ok) return sendError(response, 400, ERROR_CODES.invalidJson, 'Body is not valid JSON');
    const channel = decodeChannel(url.pathname.slice('/api/rpc/'.length));
    // An undecodable name is just another unknown channel: the router answers it with a 404 envelope.
    const envelope = await this.router.call(channel ?? '', parsed.value);
    sendJson(response, httpStatusFor(envelope), envelope);
  }

  /** The contract as JSON Schema (src-shared/api-reference.ts), for scripts and API clients. */
  private serveSchema({ request, response }: RequestContext): void {
    if (!this.authorized(request)) return this.unauthorized(response);
    if (request.method !== 'GET') return sendError(response, 405, ERROR_CODES.notFound, 'Use GET for /api/schema', { Allow: 'GET' });
    this.schema ??= contractDocument();
    sendJson(response, 200, this.schema);
  }

  private serveEvents({ request, response, url }: RequestContext): void {
    // EventSource cannot set headers, so this route alone also takes the token from the query.
    if (!this.authorized(request, url.searchParams.get('token'))) return this.unauthorized(response);
    if (request.method !== 'GET') {
      return sendError(response, 405, ERROR_CODES.methodNotAllowed, 'Use GET for /api/events', { Allow: 'GET' });
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    this.events.attach(response, parseLastEventId(request.headers['last-event-id']));
  }

  private async serveStatic({ request, response, url }: RequestContext): Promise<void> {
    await sendResponse(response, await respondWithRendererFile(this.rendererDir, request.method ?? 'GET', url.pathname));
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const token = newToken();
  const router = createRouter(options.core.handlers, { onInputRejected: options.core.onInputRejected });
  const events = createEventStream(options.core);
  let port = 0;
  const handler = new HostRequestHandler(router, events, options.rendererDir, token, options.maxBodyBytes ?? MAX_BODY_BYTES, () => port);
  const server = createServer((request, response) => {
    handler.handle(request, response).catch((error: unknown) => {
      // A bug worth a log line, never a crash (an aborted upload never gets here: see readBody).
      console.error('[http-host] request failed:', error);
      if (!response.headersSent) sendError(response, 500, ERROR_CODES.internal, 'Internal error');
      else response.destroy();
    });
  });
  port = await listen(server, options.port ?? 0);
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
