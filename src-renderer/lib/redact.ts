/**
 * The redacted view of JSON shown by default (spec §10.5 Evidence Drawer: raw JSON redacted by
 * default). Secret-looking keys are masked, strings go through the Secret Redactor's detectors
 * (the same as the main process's) and long strings are cut; the reveal toggle shows the raw.
 */
import { Redactor } from '../../src-shared/redaction';

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

/** The renderer does not know the user's home dir; the detectors still catch /home/<user>/... */
const detectors = new Redactor('');

export function redact(value: unknown): unknown {
  if (typeof value === 'string') return cut(detectors.redactText(value));
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, shouldMask(key, item) ? MASK : redact(item)]),
    );
  }
  return value;
}
