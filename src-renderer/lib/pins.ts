/** "Pin this slice": named, stable Timeline queries kept in localStorage. */
import { decodeViewState, encodeViewState, DEFAULT_VIEW_STATE, type EventFilters } from '../state/hash-state';

export interface PinnedSlice {
  name: string;
  /** The filters as a hash fragment (the same encoding as the URL). */
  query: string;
  pinned_at: string;
}

const STORAGE_KEY = 'handshake.timeline.pins';

export function loadPins(storage: Pick<Storage, 'getItem'> = localStorage): PinnedSlice[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (pin): pin is PinnedSlice =>
        typeof pin === 'object' && pin !== null && typeof pin.name === 'string' && typeof pin.query === 'string',
    );
  } catch {
    return [];
  }
}

function savePins(pins: PinnedSlice[], storage: Pick<Storage, 'setItem'>): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(pins));
}

/**
 * A pinned slice must mean the same events tomorrow: an open-ended window is closed at `now`.
 */
export function pinSlice(
  name: string,
  filters: EventFilters,
  now: Date,
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): PinnedSlice {
  const stable: EventFilters = { ...filters, to: filters.to ?? now.toISOString() };
  const query = encodeViewState({ ...DEFAULT_VIEW_STATE, view: 'timeline', events: stable });
  const pin = { name, query, pinned_at: now.toISOString() };
  savePins([...loadPins(storage).filter((existing) => existing.name !== name), pin], storage);
  return pin;
}

export function unpinSlice(name: string, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): void {
  savePins(loadPins(storage).filter((pin) => pin.name !== name), storage);
}

export function filtersOfPin(pin: PinnedSlice): EventFilters {
  return decodeViewState(pin.query).events;
}
