/**
 * Signing in to the browser host. The address `npm run serve` prints carries the access token in
 * its fragment (`#token=...`, never sent to the server by the browser). At start the page trades
 * it once for an HttpOnly session cookie (POST /api/session) and takes it out of the address, so
 * every link the page shows or copies is token-free. A link opened where no session exists, or
 * after a restart, gets the "session ended" page, which says where a fresh address is printed.
 */

export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.length > 0 ? token : null;
}

/** The hash without its token; every other key (the view state) is kept. */
export function hashWithoutToken(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('token');
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

/** The browser host's tokens: 32 random bytes in hex (src-main/hosts/browser/request-guard.ts). */
const TOKEN_SHAPE = /^[0-9a-f]{64}$/i;

/** What a person pastes: the printed address (`http://127.0.0.1:PORT/#token=...`) or the bare token. */
export function parseFreshLink(text: string): { origin: string | null; token: string } | null {
  const trimmed = text.trim();
  if (TOKEN_SHAPE.test(trimmed)) return { origin: null, token: trimmed };
  try {
    const url = new URL(trimmed);
    const token = tokenFromHash(url.hash);
    return token && TOKEN_SHAPE.test(token) ? { origin: url.origin, token } : null;
  } catch {
    return null;
  }
}

/** Opens a session for this page; true when the host accepted the token. */
export async function signIn(token: string): Promise<boolean> {
  try {
    const response = await fetch('/api/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * At start: trade a token in the address for a session, then drop it from the address (without a
 * history entry). A refused token is dropped too: the session-ended page takes over.
 */
export async function signInFromAddress(win: Pick<Window, 'location' | 'history'>): Promise<void> {
  const token = tokenFromHash(win.location.hash);
  if (!token) return;
  await signIn(token);
  const { pathname, search } = win.location;
  win.history.replaceState(win.history.state, '', `${pathname}${search}${hashWithoutToken(win.location.hash)}`);
}
