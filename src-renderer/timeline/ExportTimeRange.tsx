/**
 * The Timeline's "Export time range" (a debug bundle of scope time_window): the window of the
 * current filters, or the last hour when none is set, so what is exported is what is shown.
 */
import { useState } from 'react';
import type { EventFilters } from '../state/hash-state';
import { ExportToast, useMenuExport } from '../problems/ExportToast';
import '../problems/problems.css';

const HOUR_MS = 3_600_000;

export function windowOf(filters: Pick<EventFilters, 'from' | 'to'>, now: number): { from: string; to: string } {
  const to = filters.to ?? new Date(now).toISOString();
  const from = filters.from ?? new Date(Date.parse(to) - HOUR_MS).toISOString();
  return { from, to };
}

export function ExportTimeRange({ filters }: { filters: EventFilters }) {
  const menuExport = useMenuExport();
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const start = () => {
    const window = windowOf(filters, Date.now());
    setRange(window);
    menuExport.start({ scope: 'time_window', ...window });
  };
  return (
    <>
      <button
        type="button"
        onClick={start}
        title={filters.from || filters.to ? 'Export the events, jobs and diagnostics of this window' : 'No window set: exports the last hour'}
        data-testid="export-time-range"
        data-range={range ? `${range.from}/${range.to}` : undefined}
      >
        Export time range
      </button>
      <ExportToast started={menuExport.started} error={menuExport.error} onDismiss={menuExport.dismiss} />
    </>
  );
}
