import { useState } from 'react';

/** Copies the address of what is on screen: the view state is in it, the token never is. */
export function CopyLinkButton() {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1_500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" className="button-small" onClick={() => void copy()} data-testid="copy-link">
      {copied ? 'Link copied' : 'Copy link'}
    </button>
  );
}
