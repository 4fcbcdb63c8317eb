/**
 * Browser sessions, so links never carry the access token. The page presents the token once
 * (`POST /api/session` with `Authorization: Bearer TOKEN`) and gets an HttpOnly, SameSite=Strict
 * cookie; later requests from the page carry the cookie instead. Sessions live in memory: a
 * restart ends them, and the page then says where to find a fresh link. Scripts keep using the
 * bearer token.
 */
import { randomBytes } from 'node:crypto';
import { tokenMatches } from './request-guard';

/** Sessions kept at once; the oldest goes first (each page load that signs in makes one). */
const MAX_SESSIONS = 256;

/** Cookies are per host, not per port: two inspectors on 127.0.0.1 must not share one name. */
export function sessionCookieName(port: number): string {
  return `hsk_session_${port}`;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}

/**
 * A cookie counts only on a request the page itself made: browsers mark those `Sec-Fetch-Site:
 * same-origin` (or `none` for a typed address). A page on another port of 127.0.0.1 is the same
 * *site*, so SameSite alone would let it send the cookie; this check does not.
 */
export function isSameOriginFetch(secFetchSite: string | undefined): boolean {
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

export class SessionStore {
  private readonly sessions = new Set<string>();

  constructor(private readonly port: () => number) {}

  /** A new session and the Set-Cookie header that hands it to the browser. */
  open(): string {
    const id = randomBytes(32).toString('hex');
    this.sessions.add(id);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    return `${sessionCookieName(this.port())}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether the request's cookie names a live session. */
  holds(cookieHeader: string | undefined): boolean {
    const presented = cookieValue(cookieHeader, sessionCookieName(this.port()));
    if (presented === null) return false;
    for (const id of this.sessions) if (tokenMatches(presented, id)) return true;
    return false;
  }
}
