/**
 * Drawing the lanes on a 2D canvas: the time axis, the span removed by retention (hatched and
 * labelled, never drawn as idle time), run bars coloured by status with their nodes inside, and
 * counts per bucket when the window holds too many runs to draw one by one. Only what is inside
 * the visible window and the visible lanes is drawn, so a frame costs the same on any history.
 */
import type { LanesWindow } from '../../../src-shared/inspector-views';
import type { RunStatus } from '../../../src-shared/enums';
import { ticks, xOf, type LaneLayout, type PlacedSpan, type TimeWindow } from './lanes-layout';

export const AXIS_HEIGHT = 22;
export const LANE_HEIGHT = 24;
const BAR_INSET = 4;

export interface Palette {
  text: string;
  muted: string;
  border: string;
  surface: string;
  run: Record<RunStatus, string>;
  /** Labels on bars: light on the light theme's dark bars, dark on the dark theme's light ones. */
  barText: string;
  node: string;
  selected: string;
  hatch: string;
}

/**
 * Colours from the theme's CSS variables, read at draw time so a theme switch repaints correctly.
 * The variables hold `light-dark(...)`, which a canvas cannot parse: a probe element beside the
 * canvas resolves each one to the colour it computes to under the current colour scheme.
 */
export function paletteOf(element: Element): Palette {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  element.parentElement?.append(probe);
  const css = (name: string) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color || '#888';
  };
  const palette: Palette = {
    text: css('--text'),
    muted: css('--muted'),
    border: css('--border'),
    surface: css('--surface-2'),
    run: {
      running: css('--bar-run'),
      completed: css('--ok'),
      completed_with_issues: css('--state-issues-fg'),
      failed: css('--error'),
      cancelled: css('--muted'),
      stalled: css('--warning-border'),
      poisoned: css('--state-poisoned-bg'),
    } satisfies Record<RunStatus, string>,
    barText: css('--accent-text'),
    node: css('--bar-node'),
    selected: css('--focus'),
    hatch: css('--warning-border'),
  };
  probe.remove();
  return palette;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

function drawAxis(ctx: CanvasRenderingContext2D, window: TimeWindow, width: number, height: number, palette: Palette): void {
  const span = window.to - window.from;
  const format = span > 2 * 86_400_000 ? dayFormat : timeFormat;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const time of ticks(window, width)) {
    const x = Math.round(xOf(time, window, width)) + 0.5;
    ctx.strokeStyle = palette.border;
    ctx.beginPath();
    ctx.moveTo(x, AXIS_HEIGHT - 4);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.fillStyle = palette.muted;
    ctx.fillText(format.format(time), x + 3, AXIS_HEIGHT / 2);
  }
}

function drawRetentionGap(ctx: CanvasRenderingContext2D, window: TimeWindow, width: number, height: number, purgedBefore: string | null, palette: Palette): void {
  if (!purgedBefore) return;
  const end = Math.min(width, xOf(Date.parse(purgedBefore), window, width));
  if (end <= 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_HEIGHT, end, height - AXIS_HEIGHT);
  ctx.clip();
  ctx.strokeStyle = palette.hatch;
  ctx.globalAlpha = 0.45;
  for (let x = -height; x < end; x += 10) {
    ctx.beginPath();
    ctx.moveTo(x, height);
    ctx.lineTo(x + height, AXIS_HEIGHT);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = palette.text;
  ctx.font = '600 12px system-ui, sans-serif';
  if (end > 150) ctx.fillText('removed by retention', Math.max(8, end / 2 - 60), AXIS_HEIGHT + 16);
  ctx.restore();
}

function drawSpan(ctx: CanvasRenderingContext2D, item: PlacedSpan, y: number, window: TimeWindow, width: number, palette: Palette, selected: boolean): void {
  const left = Math.max(-2, xOf(item.start, window, width));
  const right = Math.min(width + 2, xOf(item.end, window, width));
  const barWidth = Math.max(2, right - left);
  const top = y + BAR_INSET;
  const barHeight = LANE_HEIGHT - 2 * BAR_INSET;
  ctx.fillStyle = palette.run[item.span.status];
  ctx.fillRect(left, top, barWidth, barHeight);
  if (barWidth > 8) {
    for (const node of item.span.nodes) {
      const nodeLeft = Math.max(left, xOf(Date.parse(node.start), window, width));
      const nodeRight = Math.min(left + barWidth, xOf(Date.parse(node.end), window, width));
      ctx.fillStyle = palette.node;
      ctx.fillRect(nodeLeft, top + barHeight - 4, Math.max(1, nodeRight - nodeLeft), 3);
    }
  }
  if (selected) {
    ctx.strokeStyle = palette.selected;
    ctx.lineWidth = 2;
    ctx.strokeRect(left - 1, top - 1, barWidth + 2, barHeight + 2);
    ctx.lineWidth = 1;
  }
  if (barWidth > 90) {
    ctx.fillStyle = palette.barText;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(`${item.span.job_kind} #${item.span.attempt}`, Math.max(left, 0) + 4, top + barHeight / 2, barWidth - 8);
  }
}

function drawDensity(ctx: CanvasRenderingContext2D, data: LanesWindow, window: TimeWindow, width: number, height: number, palette: Palette): void {
  const density = data.density;
  if (!density) return;
  const from = Date.parse(data.from);
  const peak = Math.max(1, ...density.started);
  const chartHeight = height - AXIS_HEIGHT - 8;
  ctx.fillStyle = palette.run.running;
  density.started.forEach((count, index) => {
    if (count === 0) return;
    const left = xOf(from + index * density.bucket_ms, window, width);
    const right = xOf(from + (index + 1) * density.bucket_ms, window, width);
    if (right < 0 || left > width) return;
    const barHeight = Math.max(1, (count / peak) * chartHeight);
    ctx.fillRect(left, height - barHeight, Math.max(1, right - left - 1), barHeight);
  });
}

export interface DrawInput {
  data: LanesWindow | null;
  layout: LaneLayout;
  window: TimeWindow;
  width: number;
  height: number;
  scrollTop: number;
  selectedRunId: string | null;
  palette: Palette;
}

export function drawLanes(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { data, layout, window, width, height, palette, scrollTop } = input;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = palette.surface;
  ctx.fillRect(0, 0, width, AXIS_HEIGHT);
  drawAxis(ctx, window, width, height, palette);
  if (data?.mode === 'density') drawDensity(ctx, data, window, width, height, palette);
  else {
    const firstLane = Math.floor(scrollTop / LANE_HEIGHT);
    const lastLane = Math.ceil((scrollTop + height - AXIS_HEIGHT) / LANE_HEIGHT);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, AXIS_HEIGHT, width, height - AXIS_HEIGHT);
    ctx.clip();
    for (const item of layout.placed) {
      if (item.lane < firstLane || item.lane > lastLane || item.end < window.from || item.start > window.to) continue;
      const y = AXIS_HEIGHT + item.lane * LANE_HEIGHT - scrollTop;
      drawSpan(ctx, item, y, window, width, palette, item.span.workflow_run_id === input.selectedRunId);
    }
    ctx.restore();
  }
  drawRetentionGap(ctx, window, width, height, data?.purged_before ?? null, palette);
}
