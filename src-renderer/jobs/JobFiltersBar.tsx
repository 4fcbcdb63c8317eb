import { memo, useEffect, useRef, useState } from 'react';
import { JOB_KINDS, JOB_STATES } from '../../src-shared/enums';
import { DEFAULT_JOB_FILTERS, type JobFilters } from '../state/hash-state';
import { MultiSelect } from '../components/MultiSelect';
import { IdInput } from '../components/IdInput';
import { TimeRange } from '../components/TimeRange';

const SEARCH_DELAY_MS = 300;

/** Filters for the jobs list; kinds and states come from the canonical lists only. */
export const JobFiltersBar = memo(function JobFiltersBar({
  filters,
  onChange,
}: {
  filters: JobFilters;
  onChange: (next: JobFilters, options?: { replace?: boolean }) => void;
}) {
  const [text, setText] = useState(filters.text);
  const typing = useRef<number | null>(null);
  useEffect(() => setText(filters.text), [filters.text]);
  const onText = (value: string) => {
    setText(value);
    if (typing.current !== null) window.clearTimeout(typing.current);
    // Typing replaces the history entry: back should not step through every keystroke.
    typing.current = window.setTimeout(() => onChange({ ...filters, text: value }, { replace: true }), SEARCH_DELAY_MS);
  };
  const filtered = JSON.stringify({ ...filters, sort: DEFAULT_JOB_FILTERS.sort }) !== JSON.stringify(DEFAULT_JOB_FILTERS);
  return (
    <div className="filters" role="search" aria-label="Job filters">
      <label className="field field-grow">
        <span>Search</span>
        <input
          type="search"
          value={text}
          placeholder="Search jobs (press /)"
          onChange={(event) => onText(event.target.value)}
          data-testid="job-search"
          data-search-box
        />
      </label>
      <MultiSelect label="State" options={JOB_STATES} selected={filters.states} onChange={(states) => onChange({ ...filters, states })} testId="filter-state" />
      <MultiSelect label="Kind" options={JOB_KINDS} selected={filters.kinds} onChange={(kinds) => onChange({ ...filters, kinds })} testId="filter-kind" />
      <TimeRange
        from={filters.createdFrom}
        to={filters.createdTo}
        onChange={({ from, to }) => onChange({ ...filters, createdFrom: from, createdTo: to })}
        testId="filter-created"
      />
      <IdInput label="Trace id" value={filters.traceId} onCommit={(traceId) => onChange({ ...filters, traceId })} testId="filter-trace" />
      <IdInput label="Run id" value={filters.workflowRunId} onCommit={(workflowRunId) => onChange({ ...filters, workflowRunId })} testId="filter-run" />
      {filtered && (
        <button type="button" className="button-small" onClick={() => onChange({ ...DEFAULT_JOB_FILTERS, sort: filters.sort })} data-testid="clear-filters">
          Clear filters
        </button>
      )}
    </div>
  );
});
