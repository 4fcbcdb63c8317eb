import { describe, expect, it } from 'vitest';
import { bearerToken, isAllowedHost, isAllowedOrigin, newToken, tokenMatches } from './request-guard';

describe('request guard', () => {
  it('allows only this port on 127.0.0.1 or localhost as Host', () => {
    expect(isAllowedHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedHost('LOCALHOST:4000', 4000)).toBe(true);
    for (const host of [undefined, '127.0.0.1', '127.0.0.1:4001', 'evil.example:4000', '0.0.0.0:4000', '[::1]:4000', 'localhost.evil.example:4000']) {
      expect(isAllowedHost(host, 4000), String(host)).toBe(false);
    }
  });

  it('allows a missing Origin or this host\'s own origin only', () => {
    expect(isAllowedOrigin(undefined, 4000)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedOrigin('http://localhost:4000', 4000)).toBe(true);
    for (const origin of ['null', 'http://evil.example', 'https://127.0.0.1:4000', 'http://127.0.0.1:4001', 'http://127.0.0.1', '']) {
      expect(isAllowedOrigin(origin, 4000), origin).toBe(false);
    }
  });

  it('reads a Bearer token and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('matches only the exact token', () => {
    const token = newToken();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.toUpperCase(), token)).toBe(false);
    expect(tokenMatches(token.slice(1), token)).toBe(false);
    expect(tokenMatches(`${token}0`, token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
  });
});
