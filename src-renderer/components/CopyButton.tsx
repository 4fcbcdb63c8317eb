import { useState } from 'react';

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
      {copied ? '✓' : '⧉'}
    </button>
  );
}

/** A monospace id with its copy button. */
export function IdWithCopy({ value, label, short = false }: { value: string; label: string; short?: boolean }) {
  return (
    <span className="id-with-copy">
      <code title={value}>{short ? value.slice(0, 8) : value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}
