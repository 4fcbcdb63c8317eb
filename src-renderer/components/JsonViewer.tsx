import { useState } from 'react';
import { redact } from '../lib/redact';

/** Pretty JSON, redacted until the person explicitly reveals it. */
export function JsonViewer({ value, label, testId }: { value: unknown; label: string; testId?: string }) {
  const [revealed, setRevealed] = useState(false);
  const shown = revealed ? value : redact(value);
  return (
    <div className="json-viewer" data-testid={testId}>
      <div className="json-viewer-bar">
        <span className="muted">{revealed ? 'Raw (secrets visible)' : 'Redacted'}</span>
        <button
          type="button"
          className="button-small"
          aria-pressed={revealed}
          onClick={() => setRevealed((value) => !value)}
          data-testid={testId ? `${testId}-reveal` : undefined}
        >
          {revealed ? 'Hide secrets' : 'Reveal'}
        </button>
      </div>
      <pre className="json" aria-label={label} tabIndex={0}>
        {JSON.stringify(shown, null, 2) ?? 'null'}
      </pre>
    </div>
  );
}
