import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, PUSH_EVENTS } from '../../../src-shared/ipc';
import { PRELOAD_CHANNELS, PUSH_EVENT_NAMES } from './channels';

describe('preload channel list', () => {
  it('equals the contract\'s channels, so the preload exposes exactly the contract', () => {
    expect([...PRELOAD_CHANNELS]).toEqual(CHANNEL_NAMES);
  });

  it('equals the contract\'s push events', () => {
    expect([...PUSH_EVENT_NAMES]).toEqual(Object.keys(PUSH_EVENTS));
  });
});
