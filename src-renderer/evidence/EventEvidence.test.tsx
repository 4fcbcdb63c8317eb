// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ApiContext } from '../api/ApiContext';
import { DEFAULT_VIEW_STATE } from '../state/hash-state';
import { ViewStateContext } from '../state/useViewState';
import { fakeApi } from '../test/fake-api';
import { makeEvent } from '../test/fixtures';
import { EventEvidence } from './EventEvidence';

afterEach(cleanup);

function show(api: ReturnType<typeof fakeApi>, eventId: string, onClose = () => {}) {
  render(
    <ApiContext.Provider value={api}>
      <ViewStateContext.Provider value={{ state: DEFAULT_VIEW_STATE, navigate: () => {} }}>
        <EventEvidence eventId={eventId} onClose={onClose} />
      </ViewStateContext.Provider>
    </ApiContext.Provider>,
  );
}

describe('EventEvidence (a cited event in the Evidence Drawer)', () => {
  it('loads the event by id and shows it as event evidence; × closes it', async () => {
    const event = makeEvent({ type: 'job_state_changed', job_id: '00000000-0000-4000-8000-0000000000aa' });
    const api = fakeApi({ 'events.list': () => ({ ok: true, data: { items: [event], next_cursor: null, purged_before: null } }) });
    const onClose = vi.fn();
    show(api, event.event_id, onClose);
    expect(await screen.findByTestId('evidence-open-job')).toBeTruthy();
    expect(screen.getByTestId('evidence-drawer').textContent).toContain('job_state_changed');
    expect(api.calls).toContainEqual(['events.list', { event_id: event.event_id, limit: 1 }]);
    fireEvent.click(screen.getByTestId('close-evidence'));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('says so when retention has removed the event, instead of an empty drawer', async () => {
    const api = fakeApi({ 'events.list': () => ({ ok: true, data: { items: [], next_cursor: null, purged_before: '2026-01-01T00:00:00.000Z' } }) });
    show(api, '00000000-0000-4000-8000-0000000000bb');
    expect((await screen.findByTestId('evidence-gone')).textContent).toMatch(/retention/);
  });
});
