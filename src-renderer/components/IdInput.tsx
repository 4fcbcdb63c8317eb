import { useEffect, useState } from 'react';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID filter field: applied on Enter or blur, refused locally when it is not a UUID. */
export function IdInput({
  label,
  value,
  onCommit,
  testId,
}: {
  label: string;
  value: string | null;
  onCommit: (value: string | null) => void;
  testId: string;
}) {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const trimmed = draft.trim().toLowerCase();
  const invalid = trimmed !== '' && !UUID.test(trimmed);
  const commit = () => {
    if (!invalid && trimmed !== (value ?? '')) onCommit(trimmed || null);
  };
  const errorId = `${testId}-error`;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="search"
        className="mono"
        value={draft}
        placeholder="uuid"
        spellCheck={false}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
        data-testid={testId}
      />
      {invalid && (
        <span id={errorId} className="field-error">
          not a UUID
        </span>
      )}
    </label>
  );
}
