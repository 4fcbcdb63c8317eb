/**
 * What the read models need from the store: its database handle for their own read-only queries,
 * the retention cutoff, and change notices. The one place that reaches into the store for them.
 */
import type Database from 'better-sqlite3';
import type { Store, StoreChange } from '../store/store';

export interface ReadSource {
  db: Database.Database;
  purgedBefore(): string | null;
  onChange(listener: (change: StoreChange) => void): () => void;
}

export function readSourceOf(store: Store): ReadSource {
  return {
    db: store.attach((access) => access.db),
    purgedBefore: () => store.purgedBefore(),
    onChange: (listener) => store.onChange(listener),
  };
}
