/** A ClientApi for component tests: each channel answers from a table, pushes are fired by hand. */
import type { ClientApi } from '../api/client';
import type { ClientResult } from '../api/records';
import { CHANNEL_NAMES, type Channel, type PushEventName } from '../../src-shared/ipc';
import { PushSequencer } from '../api/push';
import { ERROR_CODES } from '../../src-shared/errors';

type Answers = Partial<Record<Channel, (input: unknown) => ClientResult<unknown>>>;

export function fakeApi(answers: Answers): ClientApi & { calls: Array<[Channel, unknown]>; push: (raw: unknown) => void } {
  const calls: Array<[Channel, unknown]> = [];
  const sequencer = new PushSequencer();
  const channels = Object.fromEntries(
    CHANNEL_NAMES.map((channel) => [
      channel,
      async (input: unknown) => {
        calls.push([channel, input]);
        const answer = answers[channel];
        return answer ? answer(input) : { ok: false, error: { code: ERROR_CODES.internal, message: `no answer for ${channel}` } };
      },
    ]),
  );
  return {
    ...channels,
    calls,
    push: (raw: unknown) => sequencer.accept(raw),
    on: (name: PushEventName, listener: unknown) => sequencer.on(name, listener as never),
    onResync: (listener: () => void) => sequencer.onResync(listener),
    onSessionLost: () => () => {},
    transport: 'preload',
  } as unknown as ClientApi & { calls: Array<[Channel, unknown]>; push: (raw: unknown) => void };
}
