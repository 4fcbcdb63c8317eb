/** The status bar's live-export counter: shown only when live OTLP export is on. */
import type { OtlpLiveStatus } from '../../src-shared/otlp';

export function OtlpExportStatus({ status }: { status: OtlpLiveStatus | null }) {
  if (!status) return null;
  const title = `Live OTLP export to ${status.endpoint}${status.last_error ? `; last error: ${status.last_error}` : ''}`;
  return (
    <span title={title} data-testid="otlp-export-status" className={status.dropped_spans > 0 ? 'otlp-dropped' : undefined}>
      OTLP: {status.exported_spans} spans sent, {status.dropped_spans} dropped
      {status.queued_spans > 0 ? `, ${status.queued_spans} queued` : ''}
    </span>
  );
}
