/**
 * "Export OTLP": writes a job, a trace or a Timeline slice as OpenTelemetry traces (OTLP JSON
 * Lines) under the data dir, then says where the file is and what it holds.
 */
import { useState } from 'react';
import type { ChannelOutput } from '../../src-shared/ipc';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { IdWithCopy } from '../components/CopyButton';
import type { OtlpExportScope } from './otlp-scope';

type Outcome = { kind: 'idle' } | { kind: 'exporting' } | { kind: 'written'; summary: ChannelOutput<'traces.export_otlp'> } | { kind: 'failed'; error: ClientError };

export function ExportOtlpButton({ scope, label, testId }: { scope: () => OtlpExportScope; label: string; testId: string }) {
  const api = useApi();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const start = async () => {
    setOutcome({ kind: 'exporting' });
    const result = await api['traces.export_otlp'](scope());
    setOutcome(result.ok ? { kind: 'written', summary: result.data } : { kind: 'failed', error: result.error });
  };
  return (
    <div className="export-otlp" data-testid={testId}>
      <button type="button" onClick={() => void start()} disabled={outcome.kind === 'exporting'} data-testid={`${testId}-button`}>
        {outcome.kind === 'exporting' ? 'Exporting…' : label}
      </button>
      {outcome.kind === 'failed' && (
        <span className="field-error" role="alert">
          {outcome.error.message}
        </span>
      )}
      {outcome.kind === 'written' && (
        <span className="export-status" role="status" data-testid={`${testId}-result`}>
          {outcome.summary.span_count} spans of {outcome.summary.job_count} job{outcome.summary.job_count === 1 ? '' : 's'}
          {outcome.summary.truncated ? ' (truncated)' : ''} written to <IdWithCopy value={outcome.summary.path} label="OTLP file path" />
        </span>
      )}
    </div>
  );
}
