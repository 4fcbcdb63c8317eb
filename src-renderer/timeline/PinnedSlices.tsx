import { useState } from 'react';
import type { EventFilters } from '../state/hash-state';
import { filtersOfPin, loadPins, pinSlice, unpinSlice, type PinnedSlice } from '../lib/pins';

/** "Pin this slice": save the current filters under a name, and reopen saved ones. */
export function PinnedSlices({ filters, onOpen }: { filters: EventFilters; onOpen: (filters: EventFilters) => void }) {
  const [pins, setPins] = useState<PinnedSlice[]>(() => loadPins());
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const save = () => {
    if (!name.trim()) return;
    pinSlice(name.trim(), filters, new Date());
    setPins(loadPins());
    setNaming(false);
    setName('');
  };
  return (
    <div className="pins" data-testid="pinned-slices">
      {naming ? (
        <form
          className="pin-form"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <label className="field">
            <span>Slice name</span>
            <input type="text" value={name} autoFocus onChange={(event) => setName(event.target.value)} data-testid="pin-name" />
          </label>
          <button type="submit" className="button-small" data-testid="pin-save">
            Save
          </button>
          <button type="button" className="button-small" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)} data-testid="pin-slice">
          Pin this slice
        </button>
      )}
      {pins.length > 0 && (
        <ul className="pin-list" aria-label="Pinned slices">
          {pins.map((pin) => (
            <li key={pin.name}>
              <button type="button" className="link" onClick={() => onOpen(filtersOfPin(pin))} data-testid="pinned-slice" title={pin.query}>
                {pin.name}
              </button>
              <button
                type="button"
                className="button-small"
                aria-label={`Remove pinned slice ${pin.name}`}
                onClick={() => {
                  unpinSlice(pin.name);
                  setPins(loadPins());
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
