import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_FILTERS } from '../state/hash-state';
import { filtersOfPin, loadPins, pinSlice, unpinSlice } from './pins';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('pinned slices', () => {
  it('closes an open-ended window at pin time so the slice means the same later', () => {
    const storage = memoryStorage();
    const now = new Date('2026-01-20T12:00:00.000Z');
    const pin = pinSlice('recoveries', { ...DEFAULT_EVENT_FILTERS, types: ['workflow_recovery'], from: '2026-01-20T00:00:00.000Z' }, now, storage);
    expect(filtersOfPin(pin)).toEqual({ ...DEFAULT_EVENT_FILTERS, types: ['workflow_recovery'], from: '2026-01-20T00:00:00.000Z', to: now.toISOString() });
    expect(loadPins(storage)).toEqual([pin]);
  });

  it('replaces a pin with the same name and removes pins by name', () => {
    const storage = memoryStorage();
    const now = new Date('2026-01-20T12:00:00.000Z');
    pinSlice('a', DEFAULT_EVENT_FILTERS, now, storage);
    pinSlice('a', { ...DEFAULT_EVENT_FILTERS, actor: 'human' }, now, storage);
    pinSlice('b', DEFAULT_EVENT_FILTERS, now, storage);
    expect(loadPins(storage).map((pin) => pin.name)).toEqual(['a', 'b']);
    expect(filtersOfPin(loadPins(storage)[0]!).actor).toBe('human');
    unpinSlice('a', storage);
    expect(loadPins(storage).map((pin) => pin.name)).toEqual(['b']);
  });

  it('reads damaged storage as no pins', () => {
    const storage = memoryStorage();
    storage.setItem('handshake.timeline.pins', '{not json');
    expect(loadPins(storage)).toEqual([]);
  });
});
