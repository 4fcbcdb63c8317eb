import type { FlightEvent } from '../../src-shared/events';
import { Time } from '../components/Time';
import { summariseEvent } from '../lib/event-summary';

/** A clickable event line; recovery events stand out. */
export function EventLine({ event, onOpen, selected }: { event: FlightEvent; onOpen: (event: FlightEvent) => void; selected?: boolean }) {
  const recovery = event.type === 'workflow_recovery';
  return (
    <button
      type="button"
      className={`event-line${recovery ? ' event-recovery' : ''}${selected ? ' selected' : ''}`}
      onClick={() => onOpen(event)}
      data-testid="event-item"
      data-event-type={event.type}
      data-event-id={event.event_id}
    >
      <span className="event-time"><Time value={event.timestamp} /></span>
      <span className={`badge event-type${recovery ? ' badge-warning' : ''}`}>{event.type}</span>
      <span className={`actor actor-${event.actor}`}>{event.actor}</span>
      <span className="event-summary ellipsis">{summariseEvent(event)}</span>
    </button>
  );
}
