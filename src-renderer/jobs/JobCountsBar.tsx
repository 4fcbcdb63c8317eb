/** "1,234 jobs" and a count per state for the current filter; each state toggles its filter. */
import { memo } from 'react';
import { JOB_STATES, type JobState } from '../../src-shared/enums';
import type { JobFilters } from '../state/hash-state';
import { formatNumber } from '../lib/time';
import { useJobCounts } from './useJobCounts';

export const JobCountsBar = memo(function JobCountsBar({ filters, onStates }: { filters: JobFilters; onStates: (states: JobState[]) => void }) {
  const counts = useJobCounts(filters);
  const toggle = (state: JobState) =>
    onStates(filters.states.includes(state) ? filters.states.filter((item) => item !== state) : JOB_STATES.filter((item) => item === state || filters.states.includes(item)));
  // States with no job under this filter are left out, unless chosen (so they can be unchosen).
  const shown = counts ? JOB_STATES.filter((state) => counts.by_state[state] > 0 || filters.states.includes(state)) : [];
  // A search matching more jobs than a count reads gives lower bounds: "1,000+ jobs".
  const atLeast = counts?.capped_at !== undefined;
  const number = (n: number) => `${formatNumber(n)}${atLeast ? '+' : ''}`;
  return (
    <div className="counts-bar" role="group" aria-label="Jobs per state" data-testid="job-counts" aria-busy={counts === null}>
      <span className="counts-total" data-testid="counts-total" aria-live="polite">
        {counts ? `${number(counts.total)} job${counts.total === 1 && !atLeast ? '' : 's'}` : 'Counting…'}
      </span>
      {shown.map((state) => (
        <button
          key={state}
          type="button"
          className="count-chip"
          aria-pressed={filters.states.includes(state)}
          onClick={() => toggle(state)}
          data-testid={`count-${state}`}
          title={`Show only ${state} jobs (toggle)${atLeast ? `; at least this many among the newest ${formatNumber(counts!.capped_at!)} matches` : ''}`}
        >
          <span className={`state-dot state-${state}`} aria-hidden="true" />
          {state} <span className="num">{number(counts!.by_state[state])}</span>
        </button>
      ))}
    </div>
  );
});
