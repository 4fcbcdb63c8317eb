import { useEffect, useRef, useState } from 'react';

/** Copies the address of what is on screen: the view state is in it, the token never is. */
export function CopyLinkButton() {
  const [copied, setCopied] = useState(false);
  const timer = useRef<number | null>(null);
  const clearTimer = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
  };
  useEffect(() => clearTimer, []);
  const copy = async () => {
    clearTimer();
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      // Each copy says so for its own moment: an earlier copy's timer must not cut it short.
      timer.current = window.setTimeout(() => setCopied(false), 1_500);
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
