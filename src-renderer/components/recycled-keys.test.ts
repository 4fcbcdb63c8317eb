import { describe, expect, it } from 'vitest';
import { recycleKeys, type KeyedRow } from './recycled-keys';

const keysOf = (rows: KeyedRow[]) => rows.map((row) => row.key);

describe('recycleKeys', () => {
  it('numbers the first window from 0', () => {
    expect(keysOf(recycleKeys([], ['a', 'b', 'c']))).toEqual([0, 1, 2]);
  });

  it('keeps the key of a row that stays and hands the freed keys to the rows that came in', () => {
    const first = recycleKeys([], ['a', 'b', 'c', 'd']);
    // Scrolled down by two rows: a and b left, e and f came in.
    expect(recycleKeys(first, ['c', 'd', 'e', 'f'])).toEqual([
      { id: 'c', key: 2 },
      { id: 'd', key: 3 },
      { id: 'e', key: 0 },
      { id: 'f', key: 1 },
    ]);
  });

  it('gives a window replaced whole the previous keys in their previous order', () => {
    const first = recycleKeys([], ['a', 'b', 'c', 'd']);
    const scrolled = recycleKeys(first, ['c', 'd', 'e', 'f']);
    expect(keysOf(recycleKeys(scrolled, ['w', 'x', 'y', 'z']))).toEqual(keysOf(scrolled));
  });

  it('keeps a row its key when rows are inserted above it', () => {
    const first = recycleKeys([], ['a', 'b', 'c']);
    expect(recycleKeys(first, ['new', 'a', 'b'])).toEqual([
      { id: 'new', key: 2 },
      { id: 'a', key: 0 },
      { id: 'b', key: 1 },
    ]);
  });

  it('adds new keys when the window grows, never reusing one in use', () => {
    const first = recycleKeys([], ['a', 'b']);
    const grown = recycleKeys(first, ['b', 'c', 'd', 'e']);
    expect(keysOf(grown)).toEqual([1, 0, 2, 3]);
    expect(new Set(keysOf(grown)).size).toBe(4);
  });

  it('gives a repeated id a key of its own', () => {
    const first = recycleKeys([], ['a', 'b']);
    const keys = keysOf(recycleKeys(first, ['a', 'a', 'c']));
    expect(new Set(keys).size).toBe(3);
    expect(keys[0]).toBe(0);
  });
});
