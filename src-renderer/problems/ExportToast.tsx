/**
 * Starts a debug bundle export from a menu (no button stays on screen) and reports it in a toast
 * until it is dismissed: the export job's state and, once written, the bundle's path.
 */
import { useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import { isTerminalState } from '../../src-shared/transitions';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { IdWithCopy } from '../components/CopyButton';
import { StateBadge } from '../components/StateBadge';
import { bundlePathOf, useFollowJob, type BundleRequest } from '../inspector/ExportBundle';

export function useMenuExport() {
  const api = useApi();
  const [started, setStarted] = useState<AiJob | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const start = async (request: BundleRequest) => {
    setError(null);
    const result = await api['bundles.export'](request);
    if (result.ok) setStarted(result.data);
    else setError(result.error);
  };
  const dismiss = () => {
    setStarted(null);
    setError(null);
  };
  return { started, error, start: (request: BundleRequest) => void start(request), dismiss };
}

export function ExportToast({ started, error, onDismiss }: { started: AiJob | null; error: ClientError | null; onDismiss: () => void }) {
  const job = useFollowJob(started);
  if (!job && !error) return null;
  const path = job ? bundlePathOf(job.job_outputs) : null;
  return (
    <div className="export-toast" role="status" data-testid="export-toast" data-state={job?.state ?? 'error'}>
      {error ? (
        <span className="field-error">Export refused: {error.message}</span>
      ) : job ? (
        <>
          <StateBadge state={job.state} /> {isTerminalState(job.state) ? 'Debug bundle export' : 'Exporting debug bundle…'}{' '}
          <IdWithCopy value={job.job_id} label="export job id" short />
          {path && (
            <span data-testid="export-toast-path">
              {' '}written to <IdWithCopy value={path} label="bundle path" />
            </span>
          )}
          {job.error_message && <span className="field-error"> {job.error_message}</span>}
        </>
      ) : null}{' '}
      <button type="button" className="button-small" onClick={onDismiss} aria-label="Dismiss export status">
        ×
      </button>
    </div>
  );
}
