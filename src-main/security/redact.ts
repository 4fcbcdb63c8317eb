/**
 * The Secret Redactor in the main process (rules in src-shared/redaction.ts), with the user's
 * home dir masked by value. `redactStoredText` is what every free-text field goes through before
 * it is written: Flight Recorder payloads, and the status_reason / error_message of jobs, runs
 * and nodes, which the UI shows and bundles export.
 */
import os from 'node:os';
import { Redactor as SharedRedactor } from '../../src-shared/redaction';

export type { RedactionReport } from '../../src-shared/redaction';

const HOME_DIR = os.homedir();

export class Redactor extends SharedRedactor {
  constructor(homeDir: string = HOME_DIR) {
    super(homeDir);
  }
}

/** One free-text value as it may be stored. */
export function redactStoredText(text: string): string {
  return new Redactor().redactText(text);
}

/** A nullable free-text value as it may be stored. */
export function redactStoredMessage(text: string | null): string | null {
  return text === null ? null : redactStoredText(text);
}

/**
 * One-shot helper for short previews: the whole text is redacted first, then cut, so no secret is
 * left half-shown (a cut first could leave a fragment no detector recognises). The detectors'
 * quantifiers are bounded, so this is linear in the text.
 */
export function redactPreview(text: string, maxChars = 200, homeDir?: string): string {
  return new Redactor(homeDir).redactText(text).slice(0, maxChars);
}
