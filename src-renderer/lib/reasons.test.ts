import { describe, expect, it } from 'vitest';
import { explainReason } from './reasons';

describe('explainReason', () => {
  it('explains a crash recovery with the seconds between the last heartbeat and the recovery', () => {
    const text = explainReason({
      job: { state: 'stalled', status_reason: 'heartbeat_timeout_after_crash', error_message: null },
      recovery: { timestamp: '2026-01-20T10:01:35.000Z', payload: { last_heartbeat_ts: '2026-01-20T10:00:00.000Z' } },
    });
    expect(text).toBe('stalled: no heartbeat for 95 s after the app crashed; recovered at launch');
  });

  it('still explains a crash recovery when the recovery event is not loaded', () => {
    const text = explainReason({ job: { state: 'stalled', status_reason: 'heartbeat_timeout_after_crash', error_message: null } });
    expect(text).toBe('stalled: no heartbeat after the app crashed; recovered at launch');
  });

  it('says the app was shut down for interrupted_by_shutdown', () => {
    expect(explainReason({ job: { state: 'stalled', status_reason: 'interrupted_by_shutdown', error_message: null } })).toContain(
      'the app was shut down while it ran',
    );
  });

  it.each([
    ['no_executor', 'no executor'],
    ['model_runtime_unavailable', 'model runtime was not available'],
    ['capability_denied', 'capability check refused'],
    ['timeout', 'time limit'],
    ['cancelled_by_operator', 'cancelled by a person'],
  ])('explains %s in words', (reason, words) => {
    expect(explainReason({ job: { state: 'failed', status_reason: reason, error_message: null } })).toContain(words);
  });

  it('falls back to the state in words plus the reason without underscores', () => {
    expect(explainReason({ job: { state: 'failed', status_reason: 'disk_went_away', error_message: null } })).toBe('failed (disk went away)');
  });

  it('does not treat inherited object keys as reasons', () => {
    expect(explainReason({ job: { state: 'queued', status_reason: 'constructor', error_message: null } })).toBe('waiting in the queue (constructor)');
  });
});
