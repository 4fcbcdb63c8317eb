import { useState } from 'react';

/** "Copy as coder prompt": puts the redacted prompt on the clipboard and says whether it worked. */
export function CopyPrompt({ prompt, testId = 'copy-coder-prompt' }: { prompt: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(prompt);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy-prompt">
      <button type="button" onClick={() => void copy()} data-testid={testId}>
        Copy as coder prompt
      </button>
      <span role="status" className="muted" data-testid={`${testId}-state`}>
        {state === 'copied' ? ' Copied.' : state === 'failed' ? ' The clipboard refused; select the prompt below instead.' : ''}
      </span>
    </span>
  );
}
