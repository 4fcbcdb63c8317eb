/**
 * Keyboard shortcuts. Esc closes the innermost open thing (drawer before inspector), so closers
 * register on a stack; list movement keys are ignored while the person types in a field.
 */
import { useEffect, useRef } from 'react';

const escapeStack: Array<{ current: () => void }> = [];

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Registers `close` for Esc while `active`; the last registered closer runs first. */
export function useEscape(close: () => void, active = true): void {
  const ref = useRef(close);
  useEffect(() => {
    ref.current = close;
  });
  useEffect(() => {
    if (!active) return;
    const entry = { current: () => ref.current() };
    escapeStack.push(entry);
    return () => {
      const index = escapeStack.indexOf(entry);
      if (index >= 0) escapeStack.splice(index, 1);
    };
  }, [active]);
}

export interface ListKeys {
  move: (delta: number) => void;
  open: () => void;
}

/** Installs the global shortcuts once: '/', Esc, and j/k/arrows/Enter for the current list. */
export function useGlobalKeys(list: ListKeys | null): void {
  const listRef = useRef(list);
  useEffect(() => {
    listRef.current = list;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || modalOpen()) return;
      if (event.key === 'Escape') {
        if (isTypingTarget(event.target)) (event.target as HTMLElement).blur();
        else escapeStack[escapeStack.length - 1]?.current();
        return;
      }
      if (isTypingTarget(event.target)) return;
      if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search-box]');
        if (search) {
          event.preventDefault();
          search.focus();
        }
        return;
      }
      const keys = listRef.current;
      if (!keys) return;
      const onControl = event.target instanceof HTMLElement && event.target.closest('button, a, summary, [role=tab]') !== null;
      if (event.key === 'j' || event.key === 'ArrowDown') {
        event.preventDefault();
        keys.move(1);
      } else if (event.key === 'k' || event.key === 'ArrowUp') {
        event.preventDefault();
        keys.move(-1);
      } else if (event.key === 'Enter' && !onControl) {
        event.preventDefault();
        keys.open();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
