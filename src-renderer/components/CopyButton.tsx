import { useState } from 'react';
import { shortId } from '../lib/short-id';

function CopyIcon() {
  return (
    <svg aria-hidden="true" width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5" y="5" width="9" height="9" rx="1.5" />
      <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" />
    </svg>
  );
}

/** Copies an id; says so for a moment. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async (event: React.MouseEvent) => {
    event.stopPropagation();
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1_200);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" className="copy-button" onClick={copy} aria-label={`Copy ${label}`} title={`Copy ${label}`}>
      {copied ? <span aria-hidden="true">✓</span> : <CopyIcon />}
    </button>
  );
}

/** A monospace id with its copy button. */
export function IdWithCopy({ value, label, short = false }: { value: string; label: string; short?: boolean }) {
  return (
    <span className="id-with-copy">
      <code title={value}>{short ? shortId(value) : value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}
