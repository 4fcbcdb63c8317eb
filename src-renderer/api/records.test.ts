import { describe, expect, it } from 'vitest';
import { isUnsupported, parseEnvelope, parseJobRow } from './records';
import { makeEvent, makeJob } from '../test/fixtures';

describe('parseEnvelope', () => {
  it('keeps valid rows and turns a row with a non-canonical kind into an unsupported record with its raw id', () => {
    const good = makeJob();
    const damaged = { ...makeJob(), job_id: 'raw-damaged-id', job_kind: 'summarize_doc' };
    const result = parseEnvelope('jobs.list', { ok: true, data: { items: [good, damaged, makeJob()], next_cursor: 'c1' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.items).toHaveLength(3);
    expect(result.data.items[0]).toEqual(good);
    const row = result.data.items[1]!;
    expect(isUnsupported(row)).toBe(true);
    expect(isUnsupported(row) && row.raw_id).toBe('raw-damaged-id');
    expect(isUnsupported(row) && row.problems.join()).toContain('job_kind');
    expect(isUnsupported(result.data.items[2]!)).toBe(false);
    expect(result.data.next_cursor).toBe('c1');
  });

  it('marks a row with a non-canonical state as unsupported', () => {
    const result = parseEnvelope('jobs.list', { ok: true, data: { items: [{ ...makeJob(), state: 'zombie' }], next_cursor: null } });
    expect(result.ok && isUnsupported(result.data.items[0]!)).toBe(true);
  });

  it('parses event rows one by one and keeps purged_before', () => {
    const result = parseEnvelope('events.list', {
      ok: true,
      data: { items: [makeEvent(), { ...makeEvent(), event_id: 'e-bad', type: 'not_a_type' }], next_cursor: null, purged_before: '2026-01-01T00:00:00.000Z' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(isUnsupported(result.data.items[0]!)).toBe(false);
    const bad = result.data.items[1]!;
    expect(isUnsupported(bad) && bad.raw_id).toBe('e-bad');
    expect(result.data.purged_before).toBe('2026-01-01T00:00:00.000Z');
  });

  it('turns a damaged single job into an unsupported-record error naming its raw id', () => {
    const result = parseEnvelope('jobs.get', { ok: true, data: { ...makeJob(), job_id: 'abc', job_kind: 'term_exec' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('CLIENT-UNSUPPORTED-RECORD');
    expect(result.error.message).toContain('abc');
  });

  it('passes an error envelope through with its code and details', () => {
    const error = { code: 'HSK-400-INVALID-JOB-KIND', message: 'Invalid job_kind', details: { issues: [{ path: 'job_kind', message: 'unknown' }] } };
    expect(parseEnvelope('jobs.create', { ok: false, error })).toEqual({ ok: false, error });
  });

  it('reports a reply that is not an envelope instead of throwing', () => {
    for (const reply of [null, 'text', { data: 1 }, { ok: true, data: { items: 'nope' } }]) {
      const result = parseEnvelope('jobs.list', reply);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('CLIENT-BAD-ENVELOPE');
    }
  });

  it('validates non-list outputs against the channel schema', () => {
    const result = parseEnvelope('system.status', { ok: true, data: { version: '1' } });
    expect(result.ok).toBe(false);
  });
});

describe('parseJobRow: the main process marker', () => {
  it('shows an unsupported-record marker from the main process with its raw id and reason', () => {
    expect(parseJobRow({ unsupported: true, raw_id: 'job-7', reason: 'job_kind: Invalid option' })).toMatchObject({
      unsupported: true,
      raw_id: 'job-7',
      problems: ['job_kind: Invalid option'],
    });
  });
});
