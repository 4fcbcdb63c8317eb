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
});
