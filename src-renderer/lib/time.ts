/** Times are shown in local time; the UTC RFC3339 string is kept for titles and the API. */
import { formatDuration } from '../../src-shared/time';

export { formatDuration };

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function formatLocal(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return Number.isFinite(ms) ? localFormat.format(ms) : rfc3339;
}

/** "3 min 5 s ago" relative to `now`. */
export function formatAge(rfc3339: string, now: number): string {
  const ms = Date.parse(rfc3339);
  if (!Number.isFinite(ms)) return '—';
  return `${formatDuration(Math.max(0, now - ms))} ago`;
}

/** `<input type="datetime-local">` works in local time without a zone; the API wants RFC3339 UTC. */
export function localInputToRfc3339(value: string): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function rfc3339ToLocalInput(value: string | null): string {
  if (!value) return '';
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return '';
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// One formatter: toLocaleString() sets one up on every call, and the jobs grid formats a number per row.
const numberFormat = new Intl.NumberFormat();

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}
