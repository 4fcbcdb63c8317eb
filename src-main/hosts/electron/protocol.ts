/**
 * The app:// protocol that serves the built renderer (instead of file://, which would give the page
 * access to every file on disk and an opaque origin). Responses carry the same CSP as the browser host.
 */
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { SECURITY_HEADERS } from '../shared/security-headers';
import { contentTypeFor, resolveStaticPath } from '../shared/static-files';
import { APP_SCHEME, isAppUrl } from './security';

/** For protocol.registerSchemesAsPrivileged, which must run before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** The file an app:// request maps to, or null for another host or a path outside the renderer. */
export function resolveAppRequest(rendererDir: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  return resolveStaticPath(rendererDir, new URL(requestUrl).pathname);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function respondToAppRequest(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  const file = resolveAppRequest(rendererDir, request.url);
  if (!file) return notFound();
  const body = await readFile(file).catch(() => null);
  if (!body) return notFound();
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) },
  });
}

export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => respondToAppRequest(rendererDir, request));
}
