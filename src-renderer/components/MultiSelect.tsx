/** A compact multi-select: a disclosure holding one checkbox per canonical option. */
import { useRef, useState } from 'react';
import { useDismiss } from '../lib/dismiss';

export function MultiSelect<T extends string>({
  label,
  options,
  selected,
  onChange,
  testId,
}: {
  label: string;
  options: readonly T[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
  testId: string;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  useDismiss(ref, open, () => setOpen(false));
  const toggle = (option: T) => {
    const next = selected.includes(option) ? selected.filter((item) => item !== option) : [...selected, option];
    onChange(options.filter((item) => next.includes(item)));
  };
  return (
    <details ref={ref} className="multi-select" open={open} onToggle={(event) => setOpen(event.currentTarget.open)} data-testid={testId}>
      <summary>
        {label}
        {selected.length > 0 ? ` (${selected.length})` : ': any'}
      </summary>
      <fieldset>
        <legend className="visually-hidden">{label}</legend>
        {options.map((option) => (
          <label key={option} className="check">
            <input
              type="checkbox"
              checked={selected.includes(option)}
              onChange={() => toggle(option)}
              data-testid={`${testId}-${option}`}
            />
            {option}
          </label>
        ))}
        {selected.length > 0 && (
          <button type="button" className="button-small" onClick={() => onChange([])}>
            Clear
          </button>
        )}
      </fieldset>
    </details>
  );
}
