/**
 * The Secret Redactor's rules (spec-digest §5.6): secrets, PII, environment assignments and
 * absolute home paths are replaced by `[REDACTED:<category>:<detector_id>]`. Pure, so the main
 * process (before every Flight Recorder commit, on stored reasons and messages, in exports) and
 * the renderer (the redacted view of inputs) apply the same detectors.
 */

/** The spec's categories (§5.6, L42678-42691), each with at least one detector below. */
export const REDACTION_CATEGORIES = [
  'secret_api_key',
  'secret_aws',
  'secret_db_url',
  'secret_private_key',
  'secret_password',
  'secret_token',
  'pii_email',
  'pii_phone',
  'path_absolute',
  'env_var',
] as const;
export type RedactionCategory = (typeof REDACTION_CATEGORIES)[number];

interface Detector {
  id: string;
  category: RedactionCategory;
  pattern: RegExp;
}

// Ordered: the specific shapes first so a private key is not reported as a generic token.
// Quantifiers are bounded so a long run of one character class costs linear time, not quadratic:
// redaction runs on up to 256 KiB of inputs.
export const VALUE_DETECTORS: readonly Detector[] = [
  // A block cut short (a preview, an output head) is masked to the end of the text: no END, no leak.
  { id: 'pem_block', category: 'secret_private_key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*$)/g },
  { id: 'aws_access_key', category: 'secret_aws', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'db_url_credentials', category: 'secret_db_url', pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:[^\s@/]{1,256}@[^\s]+/gi },
  { id: 'openai_style_key', category: 'secret_api_key', pattern: /\bsk-[A-Za-z0-9_-]{16,}\b/g },
  { id: 'github_token', category: 'secret_token', pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g },
  { id: 'slack_token', category: 'secret_token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { id: 'jwt', category: 'secret_token', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g },
  { id: 'bearer_token', category: 'secret_token', pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/g },
  { id: 'assignment', category: 'secret_password', pattern: /\b(?:password|passwd|pwd|secret|api[_-]?key|token)\s*[=:]\s*[^\s,;'"]{4,}/gi },
  // NAME_WITH_UNDERSCORE=value, as in `env` output or a shell line: the value may be anything.
  { id: 'env_assignment', category: 'env_var', pattern: /\b[A-Z][A-Z0-9]{0,63}_[A-Z0-9_]{1,64}=[^\s'"]+/g },
  { id: 'email', category: 'pii_email', pattern: /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g },
  // International (+CC ...) or North American (555-123-4567, (555) 123-4567) forms; never dates or ids.
  { id: 'phone_international', category: 'pii_phone', pattern: /\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}\d/g },
  { id: 'phone_nanp', category: 'pii_phone', pattern: /(?:\(\d{3}\) ?|\b\d{3}[-.])\d{3}[-.]\d{4}\b/g },
  { id: 'home_dir', category: 'path_absolute', pattern: /(?:\/home\/[^/\s"']+|\/Users\/[^/\s"']+|[A-Za-z]:\\Users\\[^\\\s"']+|\/root(?=[/\s"']|$))(?:[/\\][^\s"']*)?/g },
];

/**
 * A substring every detector's match contains, one or more per detector: pem_block `-----BEGIN`,
 * aws_access_key `AKIA`/`ASIA`, github_token `gh[pousr]_`, slack_token `xox`, openai_style_key
 * `sk-`, jwt `eyJ`, bearer_token `Bearer`, db_url_credentials and assignment `:` or `=`,
 * env_assignment `=`, email `@`, phone_international `+`, phone_nanp three digits, `-` or `.`, and
 * four digits, home_dir `/home/`, `/Users/`, `\Users\` or `/root`. A text with none of them is
 * matched by no detector, so it is returned as it is without running them (ids, kinds, protocol
 * ids). Keep this list in step with VALUE_DETECTORS: redaction.test.ts checks both on the canaries
 * and on generated text.
 */
export const DETECTOR_CLUES = /-----BEGIN|AKIA|ASIA|gh[pousr]_|xox|sk-|eyJ|Bearer|[:=@+]|\d{3}[-.]\d{4}|\/home\/|\/Users\/|\\Users\\|\/root/;

/**
 * Object keys whose values are secrets whatever they look like, for the main process's redactor
 * and the UI's default view alike. Anchored at the end, so counts such as `total_tokens` or
 * `token_usage` are not mistaken for a token.
 */
export const SECRET_KEY_NAME = /(?:^|[_-])(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|authorization|credentials?|private[_-]?key|cookie)$/i;

/**
 * Texts that are exactly a lowercase UUID or an RFC3339 timestamp: no detector matches inside
 * either (redaction.test.ts checks it on generated ones), yet a timestamp's `:` and the digit
 * runs of many UUIDs (`326-7000`) are clues, so without this every id and time in an event payload
 * ran all the detectors.
 */
export const CANONICAL_CLEAN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))$/;

export interface RedactionReport {
  /** Count per `<category>:<detector_id>`. */
  counts: Record<string, number>;
  total: number;
}

export class Redactor {
  readonly report: RedactionReport = { counts: {}, total: 0 };

  /** `homeDir` is masked by value too: it may live outside /home (e.g. /var/lib/ci). */
  constructor(private readonly homeDir: string) {}

  private mark(category: RedactionCategory, detector: string): string {
    const key = `${category}:${detector}`;
    this.report.counts[key] = (this.report.counts[key] ?? 0) + 1;
    this.report.total += 1;
    return `[REDACTED:${key}]`;
  }

  redactText(text: string): string {
    let out = text;
    if (this.homeDir.length > 1 && out.includes(this.homeDir)) {
      out = out.split(this.homeDir).join(this.mark('path_absolute', 'home_dir'));
    }
    if (!DETECTOR_CLUES.test(out) || CANONICAL_CLEAN.test(out)) return out;
    for (const detector of VALUE_DETECTORS) {
      out = out.replace(detector.pattern, () => this.mark(detector.category, detector.id));
    }
    return out;
  }

  /** Deep copy with every string redacted and every secret-named key's value masked. */
  redactValue(value: unknown): unknown {
    return this.maskKeys(value, (text) => this.redactText(text));
  }

  /**
   * Deep copy with only secret-named keys' values masked, for text that is serialised and
   * redacted afterwards: once serialised, `"DB_PASSWORD":"x"` no longer looks like an assignment.
   */
  maskSecretKeys(value: unknown): unknown {
    return this.maskKeys(value, (text) => text);
  }

  private maskKeys(value: unknown, leaf: (text: string) => string): unknown {
    if (typeof value === 'string') return leaf(value);
    if (Array.isArray(value)) return value.map((item) => this.maskKeys(item, leaf));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] =
          SECRET_KEY_NAME.test(key) && item !== null && typeof item !== 'object'
            ? this.mark('secret_token', 'secret_key_name')
            : this.maskKeys(item, leaf);
      }
      return out;
    }
    return value;
  }
}
