/**
 * A vertical splitter that resizes the pane to its right: drag it, or focus it and use the arrow
 * keys (Home/End for the limits). The width is remembered in localStorage.
 */
import { useCallback, useEffect, useState } from 'react';

const STEP_PX = 24;

/** Kept as a fraction of the window, so a width chosen on a wide window suits a narrow one too. */
function storedFraction(key: string, fallback: number): number {
  const stored = Number(window.localStorage.getItem(key));
  return Number.isFinite(stored) && stored > 0 && stored < 1 ? stored : fallback;
}

/** `maxForWindow` gives the widest the pane may be in a window this wide. */
export function usePaneWidth(key: string, fallbackFraction: number, min: number, maxForWindow: (windowWidth: number) => number) {
  const [fraction, setFraction] = useState(() => storedFraction(key, fallbackFraction));
  // Kept in state: reading window.innerWidth while rendering can force a layout, and the page
  // renders on every frame of a scroll.
  const [windowWidth, setWindowWidth] = useState(() => window.innerWidth);
  useEffect(() => {
    const onResize = () => setWindowWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const max = useCallback(() => maxForWindow(windowWidth), [maxForWindow, windowWidth]);
  const clamp = useCallback((value: number) => Math.round(Math.min(Math.max(value, min), Math.max(min, max()))), [min, max]);
  const resize = useCallback(
    (value: number) => {
      const next = clamp(value) / windowWidth;
      setFraction(next);
      window.localStorage.setItem(key, String(next));
    },
    [clamp, key, windowWidth],
  );
  return { width: clamp(fraction * windowWidth), min, max, resize };
}

export function Splitter({ label, pane, testId }: { label: string; pane: ReturnType<typeof usePaneWidth>; testId: string }) {
  const onPointerDown = (event: React.PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = pane.width;
    const onMove = (move: PointerEvent) => pane.resize(startWidth + (startX - move.clientX));
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowLeft: pane.width + STEP_PX, ArrowRight: pane.width - STEP_PX, Home: pane.max(), End: pane.min };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    pane.resize(next);
  };
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={pane.width}
      aria-valuemin={pane.min}
      aria-valuemax={Math.round(pane.max())}
      tabIndex={0}
      className="splitter"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      data-testid={testId}
    />
  );
}
