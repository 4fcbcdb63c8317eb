import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('spells RFC 9562 version-7 ids whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 4, 3, 26, 27, 5);
    const id = uuidv7(at);
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('keeps ids of one millisecond in creation order through the sequence, across random-pool refills', () => {
    const at = Date.UTC(2027, 0, 1);
    // 2,000 ids: the pool of 512 is refilled several times; the 12-bit sequence does not wrap.
    const ids = Array.from({ length: 2_000 }, () => uuidv7(at));
    expect(ids.every((id) => V7.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(ids.length);
  });

  it('never goes backwards when the clock does, and moves to the next millisecond when the sequence is used up', () => {
    const at = Date.UTC(2028, 0, 1);
    const first = uuidv7(at);
    const earlier = uuidv7(at - 1_000);
    expect(earlier > first).toBe(true);
    const many = Array.from({ length: 4_200 }, () => uuidv7(at));
    expect([...many].sort()).toEqual(many);
    expect(Number.parseInt(many.at(-1)!.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThan(at);
  });
});
