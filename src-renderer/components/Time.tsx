import { formatLocal } from '../lib/time';

/** Local time on screen, the UTC RFC3339 value on hover. */
export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={`${value} (UTC)`}>
      {formatLocal(value)}
    </time>
  );
}
