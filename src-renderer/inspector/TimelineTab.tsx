import type { AiJob, WorkflowRun } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupported, type Row } from '../api/records';
import { EventLine } from '../evidence/EventLine';
import { UnsupportedRecordNote } from '../components/UnsupportedRecord';
import { Waterfall } from './Waterfall';

/** When the job moved back to the queue (a resume), from its job_state_changed events. */
function requeueTimes(events: Row<FlightEvent>[]): number[] {
  return events.flatMap((row) =>
    !isUnsupported(row) && row.type === 'job_state_changed' && row.payload.to_state === 'queued' ? [Date.parse(row.timestamp)] : [],
  );
}

/** This job's events in order, and the waterfall of its runs. */
export function TimelineTab({
  job,
  runs,
  events,
  truncated,
  now,
  onOpenEvent,
}: {
  job: AiJob;
  runs: WorkflowRun[];
  events: Row<FlightEvent>[];
  truncated: boolean;
  now: number;
  onOpenEvent: (event: FlightEvent) => void;
}) {
  return (
    <div className="tab-body">
      <h3>Runs over time</h3>
      <Waterfall job={job} runs={runs} now={now} requeuedAt={requeueTimes(events)} />
      <h3>Flight Recorder events</h3>
      {events.length === 0 ? (
        <p className="muted">No events recorded for this job.</p>
      ) : (
        <ol className="event-list" data-testid="job-events">
          {events.map((row, index) => (
            <li key={isUnsupported(row) ? `unsupported-${index}` : row.event_id}>
              {isUnsupported(row) ? <UnsupportedRecordNote record={row} /> : <EventLine event={row} onOpen={onOpenEvent} />}
            </li>
          ))}
        </ol>
      )}
      {truncated && <p className="muted">Showing the first {events.length} events; open the Timeline view for all of them.</p>}
    </div>
  );
}
