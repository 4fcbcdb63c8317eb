/**
 * The lanes themselves: a canvas sized to its box (device pixels), panned by dragging or the
 * arrow keys, zoomed by the wheel or +/−, and a click (or [ and ]) selects a run.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { LanesWindow } from '../../../src-shared/inspector-views';
import { AXIS_HEIGHT, drawLanes, LANE_HEIGHT, paletteOf } from './lanes-draw';
import { panWindow, spanAt, zoomWindow, type LaneLayout, type PlacedSpan, type TimeWindow } from './lanes-layout';
import { useThemeVersion } from './useThemeVersion';

const DRAG_THRESHOLD_PX = 4;
const KEY_PAN_SHARE = 0.1;
const ZOOM_STEP = 1.5;

function useBoxSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

interface LanesCanvasProps {
  data: LanesWindow | null;
  layout: LaneLayout;
  view: TimeWindow;
  scrollTop: number;
  selected: PlacedSpan | null;
  onView: (next: TimeWindow) => void;
  onSelect: (item: PlacedSpan | null) => void;
  label: string;
}

export function LanesCanvas({ data, layout, view, scrollTop, selected, onView, onSelect, label }: LanesCanvasProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ x: number; view: TimeWindow; moved: boolean } | null>(null);
  const { width, height } = useBoxSize(boxRef);
  const themeVersion = useThemeVersion();

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width === 0 || height === 0) return;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== width * ratio || canvas.height !== height * ratio) {
      canvas.width = width * ratio;
      canvas.height = height * ratio;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawLanes(ctx, { data, layout, window: view, width, height, scrollTop, selectedRunId: selected?.span.workflow_run_id ?? null, palette: paletteOf(canvas) });
  }, [data, layout, view, width, height, scrollTop, selected, themeVersion]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  const latest = useRef({ view, width, onView });
  latest.current = { view, width, onView };
  useEffect(() => {
    const element = boxRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: current, width: boxWidth, onView: change } = latest.current;
      const rect = element.getBoundingClientRect();
      const anchor = current.from + ((event.clientX - rect.left) / Math.max(1, boxWidth)) * (current.to - current.from);
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        change(panWindow(current, ((event.shiftKey ? event.deltaY : event.deltaX) / Math.max(1, boxWidth)) * (current.to - current.from)));
      } else change(zoomWindow(current, Math.exp(event.deltaY / 400), anchor));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const msPerPx = (view.to - view.from) / Math.max(1, width);
  const stepSelection = (step: number) => {
    const ordered = layout.placed.filter((item) => item.end >= view.from && item.start <= view.to);
    if (ordered.length === 0) return;
    const index = selected ? ordered.findIndex((item) => item.span.workflow_run_id === selected.span.workflow_run_id) : -1;
    onSelect(ordered[Math.max(0, Math.min(ordered.length - 1, index + step))] ?? null);
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const span = view.to - view.from;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => onView(panWindow(view, -span * KEY_PAN_SHARE)),
      ArrowRight: () => onView(panWindow(view, span * KEY_PAN_SHARE)),
      '+': () => onView(zoomWindow(view, 1 / ZOOM_STEP)),
      '=': () => onView(zoomWindow(view, 1 / ZOOM_STEP)),
      '-': () => onView(zoomWindow(view, ZOOM_STEP)),
      '[': () => stepSelection(-1),
      ']': () => stepSelection(1),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };

  return (
    <div
      ref={boxRef}
      className="lanes-canvas-box"
      tabIndex={0}
      role="group"
      aria-label={label}
      aria-roledescription="run lanes"
      data-testid="lanes-canvas"
      data-from={new Date(Math.round(view.from)).toISOString()}
      data-to={new Date(Math.round(view.to)).toISOString()}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = { x: event.clientX, view, moved: false };
      }}
      onPointerMove={(event) => {
        const start = drag.current;
        if (!start) return;
        const dx = event.clientX - start.x;
        if (Math.abs(dx) >= DRAG_THRESHOLD_PX) start.moved = true;
        if (start.moved) onView(panWindow(start.view, -dx * msPerPx));
      }}
      onPointerUp={(event) => {
        const start = drag.current;
        drag.current = null;
        if (!start || start.moved) return;
        const rect = event.currentTarget.getBoundingClientRect();
        const y = event.clientY - rect.top - AXIS_HEIGHT + scrollTop;
        onSelect(y < 0 ? null : spanAt(layout, event.clientX - rect.left, y, view, width, LANE_HEIGHT));
      }}
    >
      <canvas ref={canvasRef} style={{ width, height }} role="img" aria-label={label} />
    </div>
  );
}
