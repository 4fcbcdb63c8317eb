/**
 * The Secret Redactor for exported evidence (spec-digest §5.6): secrets, PII and absolute home
 * paths are replaced by `[REDACTED:<category>:<detector_id>]` before anything leaves the store.
 */
import os from 'node:os';
import { SECRET_KEY_NAME } from '../../src-shared/redaction';

interface Detector {
  id: string;
  category: string;
  pattern: RegExp;
}

// Ordered: the specific shapes first so a private key is not reported as a generic token.
const VALUE_DETECTORS: readonly Detector[] = [
  // A block cut short (a preview, an output head) is masked to the end of the text: no END, no leak.
  { id: 'pem_block', category: 'secret_private_key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*$)/g },
  { id: 'aws_access_key', category: 'secret_aws', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  // Quantifiers are bounded (scheme, user, password; RFC 5321 lengths for email) so a long run of
  // dots or letters costs linear time, not quadratic: redaction runs on up to 256 KiB of inputs.
  { id: 'db_url_credentials', category: 'secret_db_url', pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:[^\s@/]{1,256}@[^\s]+/gi },
  { id: 'openai_style_key', category: 'secret_api_key', pattern: /\bsk-[A-Za-z0-9_-]{16,}\b/g },
  { id: 'github_token', category: 'secret_token', pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g },
  { id: 'bearer_token', category: 'secret_token', pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/g },
  { id: 'assignment', category: 'secret_password', pattern: /\b(?:password|passwd|pwd|secret|api[_-]?key|token)\s*[=:]\s*[^\s,;'"]{4,}/gi },
  { id: 'email', category: 'pii_email', pattern: /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g },
  { id: 'home_dir', category: 'path_absolute', pattern: /(?:\/home\/[^/\s"']+|\/Users\/[^/\s"']+|[A-Za-z]:\\Users\\[^\\\s"']+|\/root(?=[/\s"']|$))(?:[/\\][^\s"']*)?/g },
];

export interface RedactionReport {
  /** Count per `<category>:<detector_id>`. */
  counts: Record<string, number>;
  total: number;
}

export class Redactor {
  readonly report: RedactionReport = { counts: {}, total: 0 };
  private readonly homeDir: string;

  constructor(homeDir: string = os.homedir()) {
    this.homeDir = homeDir;
  }

  private mark(category: string, detector: string): string {
    const key = `${category}:${detector}`;
    this.report.counts[key] = (this.report.counts[key] ?? 0) + 1;
    this.report.total += 1;
    return `[REDACTED:${key}]`;
  }

  redactText(text: string): string {
    let out = text;
    // The actual home dir may live outside /home (e.g. /var/lib/ci); mask it by value too.
    if (this.homeDir.length > 1 && out.includes(this.homeDir)) {
      out = out.split(this.homeDir).join(this.mark('path_absolute', 'home_dir'));
    }
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
   * Deep copy with only secret-named keys' values masked, for text that is cut and redacted
   * afterwards (a preview of the JSON): once serialised, `"DB_PASSWORD":"x"` no longer looks
   * like an assignment to the text detectors.
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
        out[key] = SECRET_KEY_NAME.test(key) && item !== null && typeof item !== 'object'
          ? this.mark('secret_token', 'secret_key_name')
          : this.maskKeys(item, leaf);
      }
      return out;
    }
    return value;
  }
}

/** One-shot helper for short previews. */
export function redactPreview(text: string, maxChars = 200, homeDir?: string): string {
  return new Redactor(homeDir).redactText(text.slice(0, maxChars * 2)).slice(0, maxChars);
}
