import { describe, expect, it } from 'vitest';
import type { JobRow } from './rows';
import { WrittenRows } from './written-rows';

function row(jobId: string, status = 'queued'): JobRow {
  return { rowid: 1, job_id: jobId, status, status_reason: 'queued', metrics: '{}', created_at: 1 } as unknown as JobRow;
}

describe('WrittenRows', () => {
  it('matches a row read back with the same values in every column, and no other', () => {
    const rows = new WrittenRows();
    rows.remember(row('a'));
    expect(rows.matches(row('a'))).toBe(true);
    expect(rows.matches(row('a', 'running'))).toBe(false);
    expect(rows.matches({ ...row('a'), metrics: '{"duration_ms":-1}' })).toBe(false);
    expect(rows.matches({ ...row('a'), extra: 1 } as JobRow)).toBe(false);
    expect(rows.matches(row('b'))).toBe(false);
  });

  it('knows a remembered record by identity only, and forgets on request', () => {
    const rows = new WrittenRows();
    const remembered = row('a');
    rows.remember(remembered);
    expect(rows.isRemembered(remembered)).toBe(true);
    expect(rows.isRemembered(row('a'))).toBe(false);
    rows.forget('a');
    expect(rows.matches(remembered)).toBe(false);
  });

  it('keeps only the most recently remembered jobs', () => {
    const rows = new WrittenRows(2);
    rows.remember(row('a'));
    rows.remember(row('b'));
    rows.remember(row('a'));
    rows.remember(row('c'));
    expect([rows.matches(row('a')), rows.matches(row('b')), rows.matches(row('c'))]).toEqual([true, false, true]);
  });

  it('keeps no more text than its budget: the oldest rows go first, and a row larger than the budget is not kept', () => {
    const rows = new WrittenRows(1_024, 150);
    const big = (jobId: string, units: number) => ({ ...row(jobId), job_inputs: 'x'.repeat(units) }) as unknown as JobRow;
    rows.remember(big('a', 40));
    rows.remember(big('b', 40));
    rows.remember(big('c', 40));
    expect([rows.matches(big('a', 40)), rows.matches(big('b', 40)), rows.matches(big('c', 40))]).toEqual([false, true, true]);
    rows.remember(big('d', 500));
    expect(rows.matches(big('d', 500))).toBe(false);
    rows.remember(big('b', 10));
    expect(rows.matches(big('b', 10))).toBe(true);
    expect(rows.matches(big('c', 40))).toBe(true);
  });
});
