import { describe, expect, it } from 'vitest';
import type { LaneSpan } from '../../../src-shared/inspector-views';
import { layoutLanes, panWindow, spanAt, ticks, zoomWindow } from './lanes-layout';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function span(id: number, job: number, start: number, end: number): LaneSpan {
  const hex = (n: number) => `0000000${n}`.slice(-8);
  return {
    workflow_run_id: `${hex(id)}-0000-7000-8000-000000000000`,
    job_id: `${hex(job)}-0000-7000-8000-0000000000aa`,
    job_kind: 'doc_edit',
    trace_id: `${hex(job)}-0000-7000-8000-0000000000bb`,
    attempt: 1,
    status: 'completed',
    start: iso(start),
    end: iso(end),
    open: false,
    nodes: [],
  };
}

describe('layoutLanes', () => {
  it('puts overlapping runs in separate slots and reuses a slot once it is free', () => {
    const layout = layoutLanes([span(1, 1, 0, 100), span(2, 2, 50, 150), span(3, 3, 100, 200), span(4, 4, 160, 170)], 'slot');
    expect(layout.lanes).toEqual(['slot 1', 'slot 2']);
    expect(layout.placed.map((item) => item.lane)).toEqual([0, 1, 0, 1]);
  });

  it('gives each job one lane for all its attempts, in the order the jobs first ran', () => {
    const layout = layoutLanes([span(1, 7, 200, 300), span(2, 5, 0, 100), span(3, 7, 400, 500)], 'job');
    expect(layout.lanes).toEqual(['doc_edit 00000000', 'doc_edit 00000000']);
    expect(layout.placed.map((item) => [item.span.workflow_run_id.slice(0, 8), item.lane])).toEqual([['00000002', 0], ['00000001', 1], ['00000003', 1]]);
  });
});

describe('window arithmetic', () => {
  it('zooms around an anchor that stays put, within the narrowest and widest window', () => {
    expect(zoomWindow({ from: 0, to: 10_000 }, 0.5, 2_000)).toEqual({ from: 1_000, to: 6_000 });
    expect(zoomWindow({ from: 0, to: 2_000 }, 0.01).to - zoomWindow({ from: 0, to: 2_000 }, 0.01).from).toBe(1_000);
    expect(panWindow({ from: 0, to: 10 }, 5)).toEqual({ from: 5, to: 15 });
  });

  it('finds the bar under the pointer by lane and time', () => {
    const layout = layoutLanes([span(1, 1, 0, 100), span(2, 2, 50, 150)], 'slot');
    const window = { from: T0, to: T0 + 200 };
    expect(spanAt(layout, 150, 30, window, 400, 24)?.span.workflow_run_id.slice(0, 8)).toBe('00000002');
    expect(spanAt(layout, 350, 5, window, 400, 24)).toBeNull();
  });

  it('places axis ticks on round steps about a hundred pixels apart', () => {
    const hour = { from: T0, to: T0 + 3_600_000 };
    const marks = ticks(hour, 1_100);
    expect(marks.length).toBeGreaterThanOrEqual(6);
    expect(marks.every((time) => time % 300_000 === 0)).toBe(true);
  });
});
