import type { DiagnosticSeverity, LinkConfidence } from '../../src-shared/diagnostics';

/** Severity in words and colour (the colour never carries the meaning alone). */
export function SeverityBadge({ severity }: { severity: DiagnosticSeverity }) {
  return (
    <span className={`badge severity-${severity}`} data-testid="severity-badge" data-severity={severity}>
      {severity}
    </span>
  );
}

/** Link confidence as shown everywhere: an ambiguous link is never drawn like a direct one (P-02). */
export function LinkBadge({ confidence }: { confidence: LinkConfidence }) {
  return (
    <span className={`badge link-${confidence}`} data-testid="link-confidence" data-confidence={confidence}>
      {confidence}
    </span>
  );
}
