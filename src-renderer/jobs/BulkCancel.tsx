/**
 * Bulk actions on the jobs chosen in the list: cancel them (confirmed, one jobs.cancel_many call
 * per BULK_MAX_JOBS), each cancellation recorded as its own Flight Recorder event by a human.
 */
import { useState } from 'react';
import { BULK_MAX_JOBS } from '../../src-shared/ipc';
import type { BulkCancelResult } from '../../src-shared/inspector';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { Dialog } from '../components/Dialog';
import { DialogButtons, ErrorLine, ReasonField } from '../components/DialogParts';

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function ConfirmBulkCancel({ jobIds, onClose, onDone }: { jobIds: string[]; onClose: () => void; onDone: (result: BulkCancelResult) => void }) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const total: BulkCancelResult = { cancelled: [], skipped: [] };
    for (const part of chunks(jobIds, BULK_MAX_JOBS)) {
      const result = await api['jobs.cancel_many'](reason.trim() ? { job_ids: part, reason: reason.trim() } : { job_ids: part });
      if (!result.ok) {
        setBusy(false);
        setError(result.error);
        return;
      }
      total.cancelled.push(...result.data.cancelled);
      total.skipped.push(...result.data.skipped);
    }
    onDone(total);
  };
  return (
    <Dialog title={`Cancel ${plural(jobIds.length, 'job')}`} onClose={onClose} testId="bulk-cancel-dialog">
      <p>Cancel the {plural(jobIds.length, 'chosen job')}? Running ones stop; none can be restarted (each can be run again as a new job).</p>
      <p className="muted">
        Each cancellation is recorded in the Flight Recorder as its own event, with actor <code>human</code>. Jobs that finished in the meantime
        are left as they are.
      </p>
      <ReasonField value={reason} onChange={setReason} testId="bulk-cancel-reason" />
      <ErrorLine error={error} />
      <DialogButtons
        keepLabel="Keep them"
        confirmLabel={`Cancel ${plural(jobIds.length, 'job')}`}
        busyLabel="Cancelling…"
        busy={busy}
        onKeep={onClose}
        onConfirm={() => void confirm()}
        testId="bulk-cancel-confirm"
      />
    </Dialog>
  );
}

export function BulkActions({ selected, onClear, onDone }: { selected: string[]; onClear: () => void; onDone: (result: BulkCancelResult) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<BulkCancelResult | null>(null);
  if (selected.length === 0 && !outcome) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Chosen jobs" data-testid="bulk-bar">
      {selected.length > 0 && (
        <>
          <span data-testid="bulk-count">{plural(selected.length, 'job')} chosen</span>
          <button type="button" onClick={() => setConfirming(true)} data-testid="bulk-cancel">
            Cancel chosen…
          </button>
          <button type="button" className="button-small" onClick={onClear}>
            Clear choice
          </button>
        </>
      )}
      {outcome && (
        <p className="action-result" role="status" data-testid="bulk-result">
          Cancelled {plural(outcome.cancelled.length, 'job')}, each recorded with actor <code>human</code>
          {outcome.skipped.length > 0 ? `; left ${outcome.skipped.length} as they were (${[...new Set(outcome.skipped.map((skip) => skip.state))].join(', ')})` : ''}.
          <button type="button" className="button-small" aria-label="Dismiss" onClick={() => setOutcome(null)}>
            ×
          </button>
        </p>
      )}
      {confirming && (
        <ConfirmBulkCancel
          jobIds={selected}
          onClose={() => setConfirming(false)}
          onDone={(result) => {
            setConfirming(false);
            setOutcome(result);
            onDone(result);
          }}
        />
      )}
    </div>
  );
}
