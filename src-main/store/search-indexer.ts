/**
 * The background search indexer: keeps the full-text index caught up off every writer's commit.
 * It wakes shortly after jobs change, indexes the backlog in bounded batches (one short
 * transaction each, yielding to the event loop between them), and sleeps when nothing is pending.
 */
import type { Store } from './store';

/** Jobs per transaction: small enough that one batch never holds the event loop for long. */
export const INDEX_BATCH = 1_000;
/** How long after a change the indexer wakes, so a burst of writes is indexed in one go. */
const SETTLE_MS = 50;

export interface SearchIndexer {
  /** Resolves once nothing is pending, or a batch failed (tests and tools wait for this, never sleep). */
  caughtUp(): Promise<void>;
  stop(): void;
}

export function startSearchIndexer(store: Store): SearchIndexer {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let waiters: Array<() => void> = [];

  const settle = () => {
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };
  const tick = () => {
    timer = null;
    if (stopped || !store.isOpen) return settle();
    let indexed = 0;
    try {
      indexed = store.indexSearch(INDEX_BATCH);
    } catch (error) {
      // The index is derived data: a failed batch is retried on the next change, writes go on.
      console.error('[search] indexing failed; retrying on the next change:', error);
      return settle();
    }
    if (indexed === INDEX_BATCH) timer = setTimeout(tick, 0);
    else settle();
  };
  const wake = (delay: number) => {
    if (!stopped && timer === null) timer = setTimeout(tick, delay);
  };
  const unsubscribe = store.onChange((change) => {
    if (change.kind === 'job') wake(SETTLE_MS);
  });
  wake(0);

  return {
    caughtUp() {
      if (stopped) return Promise.resolve();
      const caught = new Promise<void>((resolve) => waiters.push(resolve));
      wake(0);
      return caught;
    },
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
      settle();
    },
  };
}
