/**
 * Where each run goes in the lanes view: its lane (a concurrency slot, or its job's own lane) and
 * its pixels on a time scale; plus the window arithmetic of zooming and panning. Pure functions.
 */
import type { LaneSpan } from '../../../src-shared/inspector-views';
import type { LaneGrouping } from '../../state/hash-state';
import { shortId } from '../../lib/short-id';

export interface TimeWindow {
  from: number;
  to: number;
}

export interface PlacedSpan {
  span: LaneSpan;
  lane: number;
  start: number;
  end: number;
}

export interface LaneLayout {
  placed: PlacedSpan[];
  /** One label per lane, top to bottom. */
  lanes: string[];
}

/** The narrowest and widest windows the view zooms to. */
export const MIN_WINDOW_MS = 1_000;
export const MAX_WINDOW_MS = 400 * 24 * 3_600_000;

function byStart(a: PlacedSpan, b: PlacedSpan): number {
  return a.start - b.start || a.end - b.end;
}

function toPlaced(spans: readonly LaneSpan[]): PlacedSpan[] {
  return spans.map((span) => ({ span, lane: 0, start: Date.parse(span.start), end: Date.parse(span.end) })).sort(byStart);
}

/** Interval partitioning: each run takes the first slot free when it starts, so lanes = peak concurrency. */
function bySlot(spans: readonly LaneSpan[]): LaneLayout {
  const placed = toPlaced(spans);
  const slotEnds: number[] = [];
  for (const item of placed) {
    const free = slotEnds.findIndex((end) => end <= item.start);
    item.lane = free === -1 ? slotEnds.length : free;
    slotEnds[item.lane] = item.end;
  }
  return { placed, lanes: slotEnds.map((_, index) => `slot ${index + 1}`) };
}

/** One lane per job, in the order the jobs first ran; every attempt of a job shares its lane. */
function byJob(spans: readonly LaneSpan[]): LaneLayout {
  const placed = toPlaced(spans);
  const laneOf = new Map<string, number>();
  const lanes: string[] = [];
  for (const item of placed) {
    let lane = laneOf.get(item.span.job_id);
    if (lane === undefined) {
      lane = lanes.length;
      laneOf.set(item.span.job_id, lane);
      lanes.push(`${item.span.job_kind} ${shortId(item.span.job_id)}`);
    }
    item.lane = lane;
  }
  return { placed, lanes };
}

export function layoutLanes(spans: readonly LaneSpan[], grouping: LaneGrouping): LaneLayout {
  return grouping === 'job' ? byJob(spans) : bySlot(spans);
}

export function xOf(time: number, window: TimeWindow, width: number): number {
  return ((time - window.from) / (window.to - window.from)) * width;
}

export function timeAt(x: number, window: TimeWindow, width: number): number {
  return window.from + (x / width) * (window.to - window.from);
}

/** Zooms by `factor` (< 1 zooms in) around `anchor`, which stays where it is on screen. */
export function zoomWindow(window: TimeWindow, factor: number, anchor = (window.from + window.to) / 2): TimeWindow {
  const width = Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, (window.to - window.from) * factor));
  const share = (anchor - window.from) / (window.to - window.from);
  const from = anchor - share * width;
  return { from, to: from + width };
}

export function panWindow(window: TimeWindow, deltaMs: number): TimeWindow {
  return { from: window.from + deltaMs, to: window.to + deltaMs };
}

/** The span under a point, if any: lanes are `laneHeight` tall from `top`. */
export function spanAt(layout: LaneLayout, x: number, y: number, window: TimeWindow, width: number, laneHeight: number): PlacedSpan | null {
  const lane = Math.floor(y / laneHeight);
  const time = timeAt(x, window, width);
  // A bar is drawn at least 2 px wide, so hit-test with the same slack.
  const slack = (2 / width) * (window.to - window.from);
  return layout.placed.find((item) => item.lane === lane && item.start - slack <= time && time <= item.end + slack) ?? null;
}

const TICK_STEPS_MS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600, 43_200, 86_400, 172_800, 604_800].map((s) => s * 1_000);

/** Tick times for an axis about `width` px wide: roughly one every 110 px, on round steps. */
export function ticks(window: TimeWindow, width: number): number[] {
  const span = window.to - window.from;
  const wanted = span / Math.max(1, width / 110);
  const step = TICK_STEPS_MS.find((candidate) => candidate >= wanted) ?? TICK_STEPS_MS.at(-1)!;
  const first = Math.ceil(window.from / step) * step;
  const result: number[] = [];
  for (let time = first; time <= window.to; time += step) result.push(time);
  return result;
}
