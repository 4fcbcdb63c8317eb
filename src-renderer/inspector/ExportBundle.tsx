/**
 * "Export debug bundle": bundles.export starts a debug_bundle_export job; we follow it (pushes,
 * plus a slow poll in case a push is missed) until it ends, then show where the file is.
 */
import { useEffect, useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import { isTerminalState } from '../../src-shared/transitions';
import { useApi, usePush } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { IdWithCopy } from '../components/CopyButton';
import { StateBadge } from '../components/StateBadge';
import { DownloadBundle } from './DownloadBundle';

const POLL_MS = 1_000;

/** The file the export job wrote: the first string under a key naming a path or file. */
export function bundlePathOf(outputs: unknown): string | null {
  if (typeof outputs !== 'object' || outputs === null) return null;
  for (const [key, value] of Object.entries(outputs)) {
    if (/path|file/i.test(key) && typeof value === 'string') return value;
  }
  for (const value of Object.values(outputs)) {
    const nested = bundlePathOf(value);
    if (nested) return nested;
  }
  return null;
}

function useFollowJob(initial: AiJob | null): AiJob | null {
  const api = useApi();
  const [job, setJob] = useState(initial);
  useEffect(() => setJob(initial), [initial]);
  usePush('job.changed', (message) => {
    if (job && message.payload.job.job_id === job.job_id) setJob(message.payload.job);
  });
  const jobId = job?.job_id;
  const done = job ? isTerminalState(job.state) : true;
  useEffect(() => {
    if (!jobId || done) return;
    const timer = window.setInterval(async () => {
      const result = await api['jobs.get']({ job_id: jobId });
      if (result.ok) setJob(result.data);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [api, jobId, done]);
  return job;
}

export function ExportBundle({ jobId }: { jobId: string }) {
  const api = useApi();
  const [started, setStarted] = useState<AiJob | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const exportJob = useFollowJob(started);
  const start = async () => {
    setError(null);
    const result = await api['bundles.export']({ job_id: jobId });
    if (result.ok) setStarted(result.data);
    else setError(result.error);
  };
  const path = exportJob ? bundlePathOf(exportJob.job_outputs) : null;
  const running = exportJob !== null && !isTerminalState(exportJob.state);
  return (
    <div className="export-bundle" data-testid="export-bundle">
      <button type="button" onClick={() => void start()} disabled={running} data-testid="export-bundle-button">
        {running ? 'Exporting…' : 'Export debug bundle'}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error.message}
        </span>
      )}
      {exportJob && (
        <div className="export-status" role="status" data-testid="export-status" data-state={exportJob.state}>
          <StateBadge state={exportJob.state} /> export job <IdWithCopy value={exportJob.job_id} label="export job id" short />
          {path && (
            <span data-testid="export-path">
              {' '}
              written to <IdWithCopy value={path} label="bundle path" />
            </span>
          )}
          {path && isTerminalState(exportJob.state) && <DownloadBundle bundleId={exportJob.job_id} />}
          {exportJob.error_message && <span className="field-error"> {exportJob.error_message}</span>}
        </div>
      )}
    </div>
  );
}
