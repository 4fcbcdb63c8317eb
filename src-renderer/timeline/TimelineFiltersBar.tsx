import { ACTORS } from '../../src-shared/enums';
import { EVENT_TYPES } from '../../src-shared/events';
import { DEFAULT_EVENT_FILTERS, type EventFilters } from '../state/hash-state';
import { IdInput } from '../components/IdInput';
import { MultiSelect } from '../components/MultiSelect';
import { TimeRange } from '../components/TimeRange';

/** Filters over Flight Recorder events: ids, actor, canonical event types, time window. */
export function TimelineFiltersBar({ filters, onChange }: { filters: EventFilters; onChange: (next: EventFilters) => void }) {
  const filtered = JSON.stringify({ ...filters, order: 'desc' }) !== JSON.stringify(DEFAULT_EVENT_FILTERS);
  return (
    <div className="filters" role="search" aria-label="Event filters">
      <IdInput label="Job id" value={filters.jobId} onCommit={(jobId) => onChange({ ...filters, jobId })} testId="event-filter-job" />
      <IdInput label="Trace id" value={filters.traceId} onCommit={(traceId) => onChange({ ...filters, traceId })} testId="event-filter-trace" />
      <IdInput label="Run id" value={filters.workflowRunId} onCommit={(workflowRunId) => onChange({ ...filters, workflowRunId })} testId="event-filter-run" />
      <label className="field">
        <span>Actor</span>
        <select
          value={filters.actor ?? ''}
          onChange={(event) => onChange({ ...filters, actor: (event.target.value || null) as EventFilters['actor'] })}
          data-testid="event-filter-actor"
        >
          <option value="">any</option>
          {ACTORS.map((actor) => (
            <option key={actor} value={actor}>
              {actor}
            </option>
          ))}
        </select>
      </label>
      <MultiSelect label="Event types" options={EVENT_TYPES} selected={filters.types} onChange={(types) => onChange({ ...filters, types })} testId="event-filter-type" />
      <TimeRange from={filters.from} to={filters.to} onChange={({ from, to }) => onChange({ ...filters, from, to })} testId="event-filter-time" />
      {filtered && (
        <button type="button" className="button-small" onClick={() => onChange({ ...DEFAULT_EVENT_FILTERS, order: filters.order })} data-testid="clear-event-filters">
          Clear filters
        </button>
      )}
    </div>
  );
}
