/**
 * The scrolling behaviour both long lists share (jobs and Flight Recorder events): fixed-height
 * virtual rows, the next keyset page fetched as the person nears the end, and the viewport kept
 * still when live rows are inserted above it (corrected through the virtualiser, so its own
 * scroll bookkeeping stays in step).
 */
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

const PREFETCH_ROWS = 60;

export interface KeysetRows {
  rows: readonly unknown[];
  hasMore: boolean;
  loadMore: () => void;
  /** How many rows have been inserted above the first loaded row since the list was loaded. */
  insertedAbove: number;
}

export function useKeysetVirtualRows(
  list: KeysetRows,
  scrollRef: RefObject<HTMLDivElement | null>,
  rowHeight: number,
  /** Height of a sticky header inside the scroll container, above the rows. */
  headerHeight = 0,
) {
  const { rows, hasMore, loadMore, insertedAbove } = list;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : 0;

  useEffect(() => {
    if (hasMore && lastVisible >= rows.length - PREFETCH_ROWS) loadMore();
  }, [hasMore, lastVisible, rows.length, loadMore]);

  const seenInserted = useRef(insertedAbove);
  useLayoutEffect(() => {
    const delta = insertedAbove - seenInserted.current;
    seenInserted.current = insertedAbove;
    const element = scrollRef.current;
    if (delta > 0 && element && element.scrollTop > 0) virtualizer.scrollToOffset(element.scrollTop + delta * rowHeight);
  }, [insertedAbove, virtualizer, rowHeight, scrollRef]);

  return { virtualizer, items };
}
