/**
 * The app:// protocol that serves the built renderer (instead of file://, which would give the page
 * access to every file on disk and an opaque origin). It answers through the same responder as the
 * browser host, so both send the same headers (CSP included) and refuse the same paths.
 */
import type { Protocol } from 'electron';
import { notFoundResponse, respondWithRendererFile } from '../shared/static-response';
import { APP_SCHEME, isAppUrl } from './security';

/** For protocol.registerSchemesAsPrivileged, which must run before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

export function respondToAppRequest(rendererDir: string, request: Request): Promise<Response> {
  if (!isAppUrl(request.url)) return Promise.resolve(notFoundResponse());
  return respondWithRendererFile(rendererDir, request.method, new URL(request.url).pathname);
}

export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => respondToAppRequest(rendererDir, request));
}
