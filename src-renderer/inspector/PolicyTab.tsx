import type { AiJob } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupported, type Row } from '../api/records';
import { EventLine } from '../evidence/EventLine';
import { CapabilityInspector } from '../policy/CapabilityInspector';

/** The job's capability profile, modes, and every capability decision recorded for it. */
export function PolicyTab({ job, events, onOpenEvent }: { job: AiJob; events: Row<FlightEvent>[]; onOpenEvent: (event: FlightEvent) => void }) {
  const decisions = events.filter((row): row is FlightEvent => !isUnsupported(row) && row.type === 'capability_action');
  return (
    <div className="tab-body">
      <dl className="fields">
        <dt>capability_profile_id</dt>
        <dd><code>{job.capability_profile_id}</code></dd>
        <dt>access_mode</dt>
        <dd><code>{job.access_mode}</code></dd>
        <dt>safety_mode</dt>
        <dd><code>{job.safety_mode}</code></dd>
      </dl>
      <h3>Declared, granted and used capabilities</h3>
      <CapabilityInspector jobId={job.job_id} job={job} />
      <h3>Capability decisions</h3>
      {decisions.length === 0 ? (
        <p className="muted" data-testid="no-capability-decisions">No capability decisions were recorded for this job.</p>
      ) : (
        <ol className="event-list" data-testid="capability-decisions">
          {decisions.map((event) => (
            <li key={event.event_id}>
              <EventLine event={event} onOpen={onOpenEvent} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
