/**
 * The Evidence Drawer's frame, shared by every subject it shows (an event, a problem): the same
 * landmark, heading, close button and Escape key wherever evidence opens.
 */
import type { ReactNode } from 'react';
import { useEscape } from '../lib/keyboard';

export interface DrawerFrameProps {
  title: ReactNode;
  /** What the close button says to a screen reader, e.g. "Close evidence". */
  closeLabel: string;
  onClose: () => void;
  testId: string;
  closeTestId: string;
  /** data-* attributes for the aside (e.g. the problem's fingerprint). */
  data?: Record<`data-${string}`, string>;
  children: ReactNode;
}

export function DrawerFrame({ title, closeLabel, onClose, testId, closeTestId, data, children }: DrawerFrameProps) {
  useEscape(onClose);
  return (
    <aside className="drawer" aria-label="Evidence" data-testid={testId} {...data}>
      <header className="drawer-head">
        <h2>{title}</h2>
        <button type="button" className="button-small" onClick={onClose} aria-label={closeLabel} data-testid={closeTestId}>
          ×
        </button>
      </header>
      {children}
    </aside>
  );
}
