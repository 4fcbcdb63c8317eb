/**
 * The one responder for files of the built renderer, used by the browser host (HTTP) and the
 * Electron app:// protocol. It answers a fetch-style Response, so both hosts send the same status,
 * security headers, content type, length and caching, and refuse the same paths.
 */
import { open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SECURITY_HEADERS } from './security-headers';
import { contentTypeFor, resolveStaticPath } from './static-files';

const TEXT = 'text/plain; charset=utf-8';

export function notFoundResponse(): Response {
  return new Response('Not found\n', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': TEXT } });
}

function methodNotAllowed(): Response {
  return new Response('Method not allowed\n', { status: 405, headers: { ...SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Type': TEXT } });
}

/** The response for `method pathname` against the renderer directory: 200, 404 or 405. */
export async function respondWithRendererFile(rendererDir: string, method: string, pathname: string): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed();
  const file = resolveStaticPath(rendererDir, pathname);
  // Open, then stat the open file: what is checked is what is sent, and a file that vanishes in
  // between (a rebuild) is a 404 rather than a read stream failing after the headers.
  const handle = file ? await open(file, 'r').catch(() => null) : null;
  const info = handle ? await handle.stat().catch(() => null) : null;
  if (!file || !handle || !info?.isFile()) {
    await handle?.close();
    return notFoundResponse();
  }
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(info.size),
    // The build replaces files in place; hashed asset names make revalidation cheap.
    'Cache-Control': 'no-cache',
  };
  if (method === 'HEAD') {
    await handle.close();
    return new Response(null, { status: 200, headers });
  }
  // The stream closes the handle when it ends or fails.
  const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

/** Writes a fetch-style Response to a Node HTTP response; a read error mid-body ends this response only. */
export async function sendResponse(target: ServerResponse, response: Response): Promise<void> {
  target.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void target.end();
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), target).catch(() => target.destroy());
}
