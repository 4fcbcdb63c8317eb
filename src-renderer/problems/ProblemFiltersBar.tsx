import { DIAGNOSTIC_SEVERITIES, DIAGNOSTIC_SOURCES, DIAGNOSTIC_SURFACES, PROBLEM_STATUSES, TRIAGE_SEVERITIES } from '../../src-shared/diagnostics';
import { DEFAULT_PROBLEM_FILTERS, type ProblemFilters } from '../state/hash-state';
import { IdInput } from '../components/IdInput';
import { MultiSelect } from '../components/MultiSelect';
import { TimeRange } from '../components/TimeRange';

/** Filters over problems: severity, source, surface, status, job, time range (§10.5 Problems). */
export function ProblemFiltersBar({ filters, onChange }: { filters: ProblemFilters; onChange: (next: ProblemFilters) => void }) {
  const filtered = JSON.stringify(filters) !== JSON.stringify(DEFAULT_PROBLEM_FILTERS);
  return (
    <div className="filters" role="search" aria-label="Problem filters">
      <button type="button" className="button-small" onClick={() => onChange({ ...filters, severities: [...TRIAGE_SEVERITIES] })} data-testid="problem-filter-triage">
        Errors and fatal only
      </button>
      <MultiSelect label="Severity" options={DIAGNOSTIC_SEVERITIES} selected={filters.severities} onChange={(severities) => onChange({ ...filters, severities })} testId="problem-filter-severity" />
      <MultiSelect label="Source" options={DIAGNOSTIC_SOURCES} selected={filters.sources} onChange={(sources) => onChange({ ...filters, sources })} testId="problem-filter-source" />
      <MultiSelect label="Surface" options={DIAGNOSTIC_SURFACES} selected={filters.surfaces} onChange={(surfaces) => onChange({ ...filters, surfaces })} testId="problem-filter-surface" />
      <MultiSelect label="Status" options={PROBLEM_STATUSES} selected={filters.statuses} onChange={(statuses) => onChange({ ...filters, statuses })} testId="problem-filter-status" />
      <IdInput label="Job id" value={filters.jobId} onCommit={(jobId) => onChange({ ...filters, jobId })} testId="problem-filter-job" />
      <TimeRange from={filters.from} to={filters.to} onChange={({ from, to }) => onChange({ ...filters, from, to })} testId="problem-filter-time" />
      {filtered && (
        <button type="button" className="button-small" onClick={() => onChange(DEFAULT_PROBLEM_FILTERS)} data-testid="clear-problem-filters">
          Clear filters
        </button>
      )}
    </div>
  );
}
