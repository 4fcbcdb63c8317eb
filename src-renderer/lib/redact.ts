/**
 * The redacted view of JSON shown by default (spec §10.5 Evidence Drawer: raw JSON redacted by
 * default). Values under secret-named keys are masked, strings go through the Secret Redactor's
 * detectors (the same as the main process's) and long strings are cut; the result says how many of
 * each, so the view claims redaction only when something was removed.
 */
import { Redactor, SECRET_KEY_NAME } from '../../src-shared/redaction';

export const MASK = '[REDACTED]';
export const MAX_STRING = 200;

export interface Redacted {
  value: unknown;
  /** Values replaced by MASK, plus secrets the detectors replaced inside strings. */
  masked: number;
  /** Strings cut at MAX_STRING. */
  cut: number;
}

/** Numbers, booleans and null under a secret-looking key are not secrets (a `token: 3` count). */
function isSecret(key: string, value: unknown): boolean {
  return SECRET_KEY_NAME.test(key) && typeof value !== 'number' && typeof value !== 'boolean' && value !== null;
}

export function redact(value: unknown): Redacted {
  // The renderer does not know the user's home dir; the detectors still catch /home/<user>/...
  const detectors = new Redactor('');
  const counts = { masked: 0, cut: 0 };
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      const clean = detectors.redactText(item);
      if (clean.length <= MAX_STRING) return clean;
      counts.cut += 1;
      return `${clean.slice(0, MAX_STRING)}… (${clean.length - MAX_STRING} more chars)`;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(
        Object.entries(item).map(([key, child]) => {
          if (!isSecret(key, child)) return [key, walk(child)];
          counts.masked += 1;
          return [key, MASK];
        }),
      );
    }
    return item;
  };
  const redacted = walk(value);
  return { value: redacted, masked: counts.masked + detectors.report.total, cut: counts.cut };
}
