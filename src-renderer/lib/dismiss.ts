/**
 * Popovers close the way people expect: Esc, or a press anywhere outside them (a row of the list
 * included). Esc is taken in the capture phase, so it closes the popover and nothing behind it.
 */
import { useEffect, useRef, type RefObject } from 'react';

export function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, close: () => void): void {
  const closeRef = useRef(close);
  useEffect(() => {
    closeRef.current = close;
  });
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) closeRef.current();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      const hadFocus = ref.current?.contains(document.activeElement) ?? false;
      closeRef.current();
      if (hadFocus) ref.current?.querySelector<HTMLElement>('summary, button')?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('keydown', onKeyDown, true);
    };
  }, [ref, open]);
}
