/**
 * Shown instead of the app when the host refuses this page: it was opened where it never signed
 * in, or the inspector restarted (sessions end with the process). It says where a fresh address
 * is printed and, given one, opens the same view with it.
 */
import { useState } from 'react';
import { hashWithoutToken, parseFreshLink, signIn } from '../api/session';

export function SessionGone() {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (event: React.FormEvent) => {
    event.preventDefault();
    const link = parseFreshLink(text);
    if (!link) {
      setError('That is neither the printed address (it ends in #token=…) nor a token.');
      return;
    }
    const view = hashWithoutToken(window.location.hash).replace(/^#/, '');
    if (link.origin && link.origin !== window.location.origin) {
      // A new port: this view, at the new address, signs in there.
      window.location.assign(`${link.origin}/#token=${link.token}${view ? `&${view}` : ''}`);
      return;
    }
    setBusy(true);
    if (await signIn(link.token)) {
      window.location.reload();
      return;
    }
    setBusy(false);
    setError('The inspector refused that token: it belongs to an earlier start. Copy the address printed most recently.');
  };
  return (
    <main className="session-gone" data-testid="session-gone">
      <h1>This inspector session has ended</h1>
      <p>
        The inspector was restarted, or this link was opened in a browser that has not signed in here yet. Links carry no access
        token, so they are safe to share, but they need a signed-in session to open.
      </p>
      <p>
        Find a fresh address in the terminal where <code>npm run serve</code> runs. It prints one line when it starts:
      </p>
      <pre className="session-gone-line">Handshake inspector listening at http://127.0.0.1:PORT/#token=…</pre>
      <p>Open that address, or paste it here to open this same view with it:</p>
      <form className="session-gone-form" onSubmit={(event) => void open(event)}>
        <label className="field field-grow">
          <span>Fresh address or token</span>
          <input
            type="text"
            value={text}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error !== null}
            aria-describedby={error ? 'fresh-link-error' : undefined}
            onChange={(event) => {
              setText(event.target.value);
              setError(null);
            }}
            data-testid="fresh-link"
          />
        </label>
        <button type="submit" className="button-primary" disabled={busy || text.trim() === ''} data-testid="fresh-link-open">
          Open this view
        </button>
      </form>
      {error && (
        <p id="fresh-link-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
