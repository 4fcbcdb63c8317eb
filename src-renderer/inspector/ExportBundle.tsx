/**
 * "Export debug bundle": bundles.export starts a debug_bundle_export job; we follow it (pushes,
 * plus a slow poll in case a push is missed) until it ends, then show where the file is.
 */
import { useEffect, useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import type { ChannelInput } from '../../src-shared/ipc';
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

/** Follows a job (the export job) until it ends: pushes, plus a slow poll in case one is missed. */
export function useFollowJob(initial: AiJob | null): AiJob | null {
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

export type BundleRequest = ChannelInput<'bundles.export'>;

interface ExportBundleProps {
  /** A job's bundle (scope job); or give `request` for another scope. */
  jobId?: string;
  request?: BundleRequest;
  label?: string;
  /** Prefix of the test ids, so two export buttons on one page stay apart. */
  idPrefix?: string;
}

export function ExportBundle({ jobId, request, label = 'Export debug bundle', idPrefix = 'export' }: ExportBundleProps) {
  const api = useApi();
  const [started, setStarted] = useState<AiJob | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const exportJob = useFollowJob(started);
  const start = async () => {
    setError(null);
    const result = await api['bundles.export'](request ?? { job_id: jobId });
    if (result.ok) setStarted(result.data);
    else setError(result.error);
  };
  const path = exportJob ? bundlePathOf(exportJob.job_outputs) : null;
  const running = exportJob !== null && !isTerminalState(exportJob.state);
  return (
    <div className="export-bundle" data-testid={`${idPrefix}-bundle`}>
      <button type="button" onClick={() => void start()} disabled={running} data-testid={`${idPrefix}-bundle-button`}>
        {running ? 'Exporting…' : label}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error.message}
        </span>
      )}
      {exportJob && (
        <div className="export-status" role="status" data-testid={`${idPrefix}-status`} data-state={exportJob.state}>
          <StateBadge state={exportJob.state} /> export job <IdWithCopy value={exportJob.job_id} label="export job id" short />
          {path && (
            <span data-testid={`${idPrefix}-path`}>
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
