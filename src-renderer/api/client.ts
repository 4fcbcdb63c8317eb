/**
 * The one typed client of the renderer. It is picked once at start:
 * - `window.handshake` exists (Electron preload) -> call its named functions and `on`;
 * - otherwise the browser host: POST /api/rpc/<channel> and
 *   Server-Sent Events on /api/events, authorised by the session cookie.
 * Nothing else in the renderer knows which transport is in use.
 *
 * URL hash scheme (shared with state/hash-state.ts): the hash is a query string,
 * `#view=jobs&state=stalled&job=<uuid>`. The address `npm run serve` prints adds `token=TOKEN`;
 * the page trades it for a session cookie at start and takes it out of the address
 * (api/session.ts), so copied links never carry it.
 */
import { CHANNEL_NAMES, PUSH_EVENTS, type Channel, type ChannelInput, type PushEventName, type PushMessage } from '../../src-shared/ipc';
import { ERROR_CODES } from '../../src-shared/errors';
import { parseEnvelope, CLIENT_ERROR_CODES, type ClientOutput, type ClientResult } from './records';
import { PushSequencer } from './push';
import { httpTransport, preloadTransport, type PreloadBridge, type Transport } from './transport';

export type ClientApi = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<ClientResult<ClientOutput<C>>>;
} & {
  on<E extends PushEventName>(name: E, listener: (message: PushMessage<E>) => void): () => void;
  /** Fires when pushes may have been missed (a seq gap or a reconnect): refetch what is shown. */
  onResync(listener: () => void): () => void;
  /** Fires when the host refuses this page (401): its session ended, e.g. with a restart. */
  onSessionLost(listener: () => void): () => void;
  readonly transport: Transport['name'];
};

const PUSH_NAMES = Object.keys(PUSH_EVENTS);

export function createClient(transport: Transport): ClientApi {
  const sequencer = new PushSequencer();
  const sessionListeners = new Set<() => void>();
  const invoke = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ClientResult<ClientOutput<C>>> => {
    try {
      return parseEnvelope(channel, await transport.invoke(channel, input));
    } catch (error) {
      return { ok: false, error: { code: CLIENT_ERROR_CODES.transport, message: error instanceof Error ? error.message : String(error) } };
    }
  };
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ClientResult<ClientOutput<C>>> => {
    const result = await invoke(channel, input);
    if (!result.ok && result.error.code === ERROR_CODES.unauthorized) for (const listener of [...sessionListeners]) listener();
    return result;
  };
  transport.subscribe(
    (raw) => sequencer.accept(raw),
    () => sequencer.resync(),
    // The stream was refused: ask the host whether the session is gone (a 401 says so).
    () => void call('system.status', {}),
  );
  const channels = Object.fromEntries(
    CHANNEL_NAMES.map((channel) => [channel, (input: ChannelInput<typeof channel>) => call(channel, input)]),
  );
  return {
    ...channels,
    on: (name, listener) => sequencer.on(name, listener as (message: PushMessage) => void),
    onResync: (listener) => sequencer.onResync(listener),
    onSessionLost: (listener: () => void) => {
      sessionListeners.add(listener);
      return () => void sessionListeners.delete(listener);
    },
    transport: transport.name,
  } as ClientApi;
}

/**
 * Picks the transport for this page. Inside the desktop app (app://) only the preload bridge can
 * reach the core, so a missing bridge gives null: there is no HTTP host to fall back to.
 */
export function pickTransport(win: Window & { handshake?: unknown }): Transport | null {
  if (win.handshake && typeof win.handshake === 'object') {
    return preloadTransport(win.handshake as PreloadBridge, PUSH_NAMES);
  }
  if (win.location.protocol === "app:") return null;
  return httpTransport();
}
