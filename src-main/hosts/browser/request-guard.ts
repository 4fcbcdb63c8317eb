/**
 * The browser host's front door: who may talk to it. Pure functions, so each rule has a unit test.
 * Loopback plus a random per-start token keeps other local users' pages out; the Host and Origin
 * checks stop DNS-rebinding pages (a foreign name resolving to 127.0.0.1) from using a stolen URL.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** The Host header values this host answers to. */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

/**
 * A missing Origin is allowed (same-origin GETs, EventSource and non-browser clients send none);
 * a present one must be this host's own origin.
 */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const normalized = origin.toLowerCase();
  return normalized === `http://127.0.0.1:${port}` || normalized === `http://localhost:${port}`;
}

/** The token from `Authorization: Bearer TOKEN`, or null. */
export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
  return match?.[1] ?? null;
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function tokenMatches(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Compare against itself on a length mismatch so both paths do the same amount of work.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
