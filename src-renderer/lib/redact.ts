/**
 * The redacted view of JSON shown by default (spec §10.5 Evidence Drawer: raw JSON redacted by
 * default). Secret-looking keys are masked and long strings are cut; the reveal toggle shows the raw.
 */
export const SECRET_KEY = /token|secret|password|api[_-]?key|authorization/i;
export const MASK = '[REDACTED]';
export const MAX_STRING = 200;

function cut(value: string): string {
  if (value.length <= MAX_STRING) return value;
  return `${value.slice(0, MAX_STRING)}… (${value.length - MAX_STRING} more chars)`;
}

/** Numeric keys such as token counts (`total_tokens`) are not secrets: only strings and objects are masked. */
function shouldMask(key: string, value: unknown): boolean {
  return SECRET_KEY.test(key) && typeof value !== 'number' && typeof value !== 'boolean' && value !== null;
}

export function redact(value: unknown): unknown {
  if (typeof value === 'string') return cut(value);
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, shouldMask(key, item) ? MASK : redact(item)]),
    );
  }
  return value;
}
