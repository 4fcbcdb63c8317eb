/**
 * The Evidence Drawer for an event known only by its id (a diagnostic's evidence reference): loads
 * it, then shows it as any other event's evidence. An event retention has removed says so.
 */
import { useEffect, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import { useApi } from '../api/ApiContext';
import { isUnsupported, type ClientError } from '../api/records';
import { ErrorNote, Loading } from '../components/States';
import { shortId } from '../lib/short-id';
import { DrawerFrame } from './DrawerFrame';
import { EvidenceDrawer } from './EvidenceDrawer';

type Loaded = { state: 'loading' } | { state: 'found'; event: FlightEvent } | { state: 'gone' } | { state: 'error'; error: ClientError };

export function EventEvidence({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    void api['events.list']({ event_id: eventId, limit: 1 }).then((result) => {
      if (!live) return;
      if (!result.ok) return setLoaded({ state: 'error', error: result.error });
      const [event] = result.data.items;
      setLoaded(event && !isUnsupported(event) ? { state: 'found', event } : { state: 'gone' });
    });
    return () => {
      live = false;
    };
  }, [api, eventId, attempt]);
  if (loaded.state === 'found') return <EvidenceDrawer event={loaded.event} onClose={onClose} />;
  return (
    <DrawerFrame title={<>Evidence: event {shortId(eventId)}</>} closeLabel="Close evidence" onClose={onClose} testId="evidence-drawer" closeTestId="close-evidence">
      {loaded.state === 'loading' && <Loading what="event" />}
      {loaded.state === 'error' && <ErrorNote error={loaded.error} retry={() => setAttempt((n) => n + 1)} />}
      {loaded.state === 'gone' && (
        <p className="explanation" data-testid="evidence-gone">
          This event is no longer stored: the Flight Recorder's retention window removed it. The diagnostic that referenced it is kept.
        </p>
      )}
    </DrawerFrame>
  );
}
