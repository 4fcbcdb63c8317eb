/**
 * A link to another view state: a real href (open in a new tab, copy the link) that navigates in
 * place on a plain click.
 */
import type { ReactNode } from 'react';
import { encodeViewState, type ViewState } from '../state/hash-state';
import { useViewState } from '../state/useViewState';

export type ViewUpdate = (state: ViewState) => ViewState;

export const toJob = (jobId: string): ViewUpdate => (state) => ({ ...state, view: 'jobs', jobId, eventId: null });
export const toTrace = (traceId: string): ViewUpdate => (state) => ({ ...state, view: 'trace', traceView: traceId, eventId: null });

export function ViewLink({ to, children, className, testId, label }: { to: ViewUpdate; children: ReactNode; className?: string; testId?: string; label?: string }) {
  const { state, navigate } = useViewState();
  return (
    <a
      href={encodeViewState(to(state), window.location.hash)}
      className={className}
      aria-label={label}
      data-testid={testId}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        event.stopPropagation();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
