/** Readable loading / empty / error states with a fixed minimum height so nothing jumps. */
import type { ClientError } from '../api/records';

export function Loading({ what }: { what: string }) {
  return (
    <div className="placeholder" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return (
    <div className="placeholder" data-testid="empty-state">
      {children}
    </div>
  );
}

export function ErrorNote({ error, retry }: { error: ClientError; retry?: () => void }) {
  return (
    <div className="placeholder error" role="alert" data-testid="error-state">
      <strong>Could not load:</strong> {error.message} <code>{error.code}</code>
      {retry && (
        <button type="button" className="button-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The desktop window without its preload bridge: nothing can reach the core, so say so and stop. */
export function BridgeMissing() {
  return (
    <div className="placeholder error" role="alert" data-testid="bridge-missing">
      <strong>Handshake Jobs cannot reach its data.</strong> The window&apos;s bridge to the app (its preload script) did not
      load. Nothing was changed; the terminal that started the app names the cause. Rebuild and start the app again.
    </div>
  );
}
