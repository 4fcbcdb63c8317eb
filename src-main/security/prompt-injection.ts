/**
 * PromptInjectionGuard (HSK-ACE-VAL-102): scans model-bound text, NFC-normalised and case-folded,
 * for the spec's markers. A hit poisons the job (HSK-ACE-VAL-101); the caller does that.
 */

export const INJECTION_PATTERNS = ['ignore previous', 'new instructions', 'system command', 'developer mode'] as const;

export type InjectionScan =
  | { hit: false }
  | { hit: true; pattern: (typeof INJECTION_PATTERNS)[number]; offset: number; context: string };

/**
 * The spec asks for NFC + case fold. NFKC is NFC plus compatibility folding, so fullwidth or
 * ligature look-alikes ("ｉgnore") match too; invisible format characters are dropped and
 * whitespace runs collapsed, so "Ignore\u200B  PREVIOUS" cannot slip past a literal match.
 */
export function normaliseForScan(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ');
}

/** First marker found (lowest offset in the normalised text), or no hit. */
export function scanForInjection(text: string): InjectionScan {
  const normalised = normaliseForScan(text);
  let best: InjectionScan = { hit: false };
  for (const pattern of INJECTION_PATTERNS) {
    const offset = normalised.indexOf(pattern);
    if (offset >= 0 && (!best.hit || offset < best.offset)) {
      const context = normalised.slice(Math.max(0, offset - 20), offset + pattern.length + 20);
      best = { hit: true, pattern, offset, context };
    }
  }
  return best;
}

/** A detected injection, thrown out of an executor so the engine can poison the job. */
export class PromptInjectionDetected extends Error {
  constructor(readonly scan: Extract<InjectionScan, { hit: true }>, readonly source: string) {
    super(`prompt-injection marker "${scan.pattern}" found in ${source} at offset ${scan.offset}`);
    this.name = 'PromptInjectionDetected';
  }
}
