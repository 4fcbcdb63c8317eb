import type { RecoveryStatus, RuntimeReachability } from '../../src-shared/ipc';
import { useSystemStatus } from './useSystemStatus';
import { formatDuration } from '../lib/time';
import { OtlpExportStatus } from '../otel/OtlpExportStatus';
import { useReadOnly } from '../bundle/useBundleStatus';

export function recoveryInWords(recovery: RecoveryStatus): string {
  switch (recovery.state) {
    case 'pending':
    case 'running': {
      const runs = recovery.stalled_count + recovery.waiting_count;
      const wait = recovery.ready_in_ms > 0 ? ` (ready in ${formatDuration(recovery.ready_in_ms)})` : '';
      return `Recovering ${runs} run${runs === 1 ? '' : 's'}…${wait}`;
    }
    case 'complete':
      return 'Ready';
    case 'failed':
      return `Recovery failed${recovery.error ? `: ${recovery.error}` : ''}`;
  }
}

export function reachabilityInWords(reachability: RuntimeReachability): string {
  if (reachability.reachable === null) return reachability.message ?? 'not checked yet';
  if (!reachability.reachable) return `unreachable: ${reachability.message ?? 'no answer'}`;
  return reachability.models.length > 0 ? `reachable (models: ${reachability.models.join(', ')})` : 'reachable';
}

/** The bottom bar: recovery state first, then where the data lives and what runs models. */
export function StatusBar() {
  const { status, error, recheck } = useSystemStatus();
  const readOnly = useReadOnly();
  const recovery = status?.recovery;
  return (
    <footer className="status-bar" aria-label="Status">
      <span
        className={`recovery recovery-${recovery?.state ?? 'unknown'}`}
        role="status"
        data-testid="recovery-status"
        data-state={recovery?.state ?? 'unknown'}
      >
        {recovery ? recoveryInWords(recovery) : error ? `Status unavailable: ${error.message}` : 'Connecting…'}
      </span>
      {status && (
        <>
          <span>{readOnly ? 'read-only bundle' : status.accepting_jobs ? 'accepting jobs' : 'not accepting jobs yet'}</span>
          <span data-testid="model-runtime-status" data-reachable={String(status.model_runtime.reachability.reachable)}>
            model runtime: {status.model_runtime.label} — {reachabilityInWords(status.model_runtime.reachability)}{' '}
            {!readOnly && (
              <button type="button" className="button-small" onClick={() => void recheck()} data-testid="recheck-runtime">
                Check again
              </button>
            )}
          </span>
          {status.allow_terminal && <span data-testid="allow-terminal">--allow-terminal: commands are consented</span>}
          <span>retention: {status.retention_days} days</span>
          <OtlpExportStatus status={status.otlp_export} />
          <span className="ellipsis" title={status.data_dir}>
            data: {status.data_dir}
          </span>
          <span>v{status.version}</span>
        </>
      )}
    </footer>
  );
}
