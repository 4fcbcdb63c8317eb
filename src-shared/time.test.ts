import { describe, expect, it } from 'vitest';
import { parseRfc3339, toRfc3339 } from './time';

describe('toRfc3339', () => {
  it('gives each instant its own text, whatever was converted before (the last conversion is reused)', () => {
    const a = Date.UTC(2026, 11, 4, 3, 26, 27, 5);
    const b = a + 1;
    expect([toRfc3339(a), toRfc3339(a), toRfc3339(b), toRfc3339(a), toRfc3339(0)]).toEqual([
      '2026-12-04T03:26:27.005Z',
      '2026-12-04T03:26:27.005Z',
      '2026-12-04T03:26:27.006Z',
      '2026-12-04T03:26:27.005Z',
      '1970-01-01T00:00:00.000Z',
    ]);
    expect(parseRfc3339(toRfc3339(b))).toBe(b);
  });

  it('refuses a time that is not one, every time', () => {
    expect(() => toRfc3339(Number.NaN)).toThrow(RangeError);
    expect(() => toRfc3339(Number.NaN)).toThrow(RangeError);
  });
});
