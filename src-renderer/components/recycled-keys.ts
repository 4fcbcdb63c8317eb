/**
 * React keys for the rows of a virtualised list that outlive the rows. A row that stays in the
 * window keeps its key; a row scrolled out hands its key to a row scrolled in, so React updates
 * that row's elements in place instead of unmounting one and mounting another. A fast scroll
 * replaces the whole window each frame, and mounting it afresh (creating, styling and later
 * collecting hundreds of elements) is what made those frames long.
 */
import { useLayoutEffect, useRef } from 'react';

export interface KeyedRow {
  id: string;
  key: number;
}

/**
 * `previous` is the last render's rows in their order on the page; `ids` the rows to render now,
 * in order. Freed keys are handed out in their previous order, so when the whole window is
 * replaced the keys keep their order and React moves no elements.
 */
export function recycleKeys(previous: readonly KeyedRow[], ids: readonly string[]): KeyedRow[] {
  const previousKeys = new Map(previous.map((row) => [row.id, row.key]));
  const kept = new Map<string, number>();
  for (const id of ids) {
    const key = previousKeys.get(id);
    if (key !== undefined) kept.set(id, key);
  }
  const free = previous.filter((row) => !kept.has(row.id)).map((row) => row.key);
  let nextFree = 0;
  let fresh = previous.reduce((max, row) => Math.max(max, row.key + 1), 0);
  return ids.map((id) => {
    const key = kept.get(id);
    if (key !== undefined) {
      // A repeated id gets a key of its own.
      kept.delete(id);
      return { id, key };
    }
    return { id, key: nextFree < free.length ? free[nextFree++]! : fresh++ };
  });
}

/** The keys for `ids` this render, recycled from the last committed render's. */
export function useRecycledKeys(ids: readonly string[]): number[] {
  const committed = useRef<readonly KeyedRow[]>([]);
  const rows = recycleKeys(committed.current, ids);
  useLayoutEffect(() => {
    committed.current = rows;
  });
  return rows.map((row) => row.key);
}
