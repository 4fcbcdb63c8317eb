import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashWithoutToken, parseFreshLink, signInFromAddress, tokenFromHash } from './session';

const TOKEN = 'ab'.repeat(32);

afterEach(() => vi.unstubAllGlobals());

describe('tokenFromHash', () => {
  it('reads the token among view-state keys and returns null when absent', () => {
    expect(tokenFromHash('#view=timeline&token=t0k&job=x')).toBe('t0k');
    expect(tokenFromHash('#view=timeline')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});

describe('signing in from the address', () => {
  it('trades the token for a session and leaves the view state in the address without it', async () => {
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const replaceState = vi.fn();
    const win = { location: { hash: `#token=${TOKEN}&view=jobs&job=j1`, pathname: '/', search: '' }, history: { state: null, replaceState } };
    await signInFromAddress(win as unknown as Window);
    expect(fetchMock).toHaveBeenCalledWith('/api/session', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(replaceState).toHaveBeenCalledWith(null, '', '/#view=jobs&job=j1');
  });

  it('does nothing without a token in the address', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const replaceState = vi.fn();
    await signInFromAddress({ location: { hash: '#view=jobs', pathname: '/', search: '' }, history: { state: null, replaceState } } as unknown as Window);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('drops only the token key from a hash', () => {
    expect(hashWithoutToken(`#token=${TOKEN}`)).toBe('');
    expect(hashWithoutToken(`#view=timeline&token=${TOKEN}&e_order=asc`)).toBe('#view=timeline&e_order=asc');
  });
});

describe('parseFreshLink', () => {
  it('accepts the printed address or the bare token, and nothing else', () => {
    expect(parseFreshLink(` http://127.0.0.1:5173/#token=${TOKEN} `)).toEqual({ origin: 'http://127.0.0.1:5173', token: TOKEN });
    expect(parseFreshLink(TOKEN)).toEqual({ origin: null, token: TOKEN });
    expect(parseFreshLink('http://127.0.0.1:5173/#view=jobs')).toBeNull();
    expect(parseFreshLink('http://127.0.0.1:1/#token=0000')).toBeNull();
    expect(parseFreshLink('hello')).toBeNull();
  });
});
