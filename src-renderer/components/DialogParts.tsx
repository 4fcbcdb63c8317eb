/** The pieces every confirming dialog shares: an optional reason, the refusal, and its two buttons. */
import type { ClientError } from '../api/records';

export function ReasonField({ value, onChange, testId }: { value: string; onChange: (value: string) => void; testId: string }) {
  return (
    <label className="field">
      <span>Reason (optional)</span>
      <input type="text" value={value} maxLength={512} onChange={(event) => onChange(event.target.value)} data-testid={testId} />
    </label>
  );
}

export function ErrorLine({ error, testId }: { error: ClientError | null; testId?: string }) {
  if (!error) return null;
  return (
    <p className="field-error" role="alert" data-testid={testId}>
      {error.message} <code>{error.code}</code>
    </p>
  );
}

export function DialogButtons({
  keepLabel,
  confirmLabel,
  busyLabel,
  busy,
  onKeep,
  onConfirm,
  testId,
}: {
  keepLabel: string;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onKeep: () => void;
  onConfirm: () => void;
  testId: string;
}) {
  return (
    <div className="dialog-buttons">
      <button type="button" onClick={onKeep} disabled={busy}>
        {keepLabel}
      </button>
      <button type="button" className="button-primary" onClick={onConfirm} disabled={busy} data-testid={testId}>
        {busy ? busyLabel : confirmLabel}
      </button>
    </div>
  );
}
