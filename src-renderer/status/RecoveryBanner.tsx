import { useState } from 'react';
import { DEFAULT_JOB_FILTERS } from '../state/hash-state';
import { useViewState } from '../state/useViewState';
import { useSystemStatus } from './useSystemStatus';

/** After a launch that recovered runs: say so once, and link to those jobs. */
export function RecoveryBanner() {
  const { status } = useSystemStatus();
  const { navigate } = useViewState();
  const [dismissed, setDismissed] = useState(false);
  const recovered = status?.recovery.recovered_job_ids ?? [];
  if (dismissed || status?.recovery.state !== 'complete' || recovered.length === 0) return null;
  const show = () =>
    navigate((state) => ({
      ...state,
      view: 'jobs',
      jobs: { ...DEFAULT_JOB_FILTERS, states: ['stalled'] },
      jobId: recovered.length === 1 ? recovered[0]! : state.jobId,
    }));
  return (
    <div className="banner" role="region" aria-label="Recovery" data-testid="recovery-banner">
      <span>
        {recovered.length} interrupted run{recovered.length === 1 ? ' was' : 's were'} recovered at launch and marked stalled.
      </span>
      <button type="button" className="link" onClick={show} data-testid="recovery-banner-show">
        Show stalled jobs
      </button>
      <button type="button" className="button-small" onClick={() => setDismissed(true)} aria-label="Dismiss recovery notice">
        ×
      </button>
    </div>
  );
}
