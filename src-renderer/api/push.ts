/**
 * Push messages from either transport go through one sequencer: it parses each payload with its
 * schema, drops duplicates, and reports a gap (a missed seq) so views can refetch what they show.
 */
import { PUSH_EVENTS, type PushEventName, type PushMessage } from '../../src-shared/ipc';

type Listener = (message: PushMessage) => void;

export class PushSequencer {
  private lastSeq: number | null = null;
  private readonly listeners = new Map<PushEventName, Set<Listener>>();
  private readonly resyncListeners = new Set<() => void>();

  on(name: PushEventName, listener: Listener): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Tells views to refetch, e.g. after the transport reconnected. */
  resync(): void {
    for (const listener of [...this.resyncListeners]) listener();
  }

  /** Accepts one raw message ({seq, name, payload}); anything malformed is ignored. */
  accept(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const { seq, name, payload } = raw as { seq?: unknown; name?: unknown; payload?: unknown };
    if (typeof seq !== 'number' || typeof name !== 'string' || !Object.hasOwn(PUSH_EVENTS, name)) return;
    if (!this.advance(seq)) return;
    const eventName = name as PushEventName;
    const parsed = PUSH_EVENTS[eventName].safeParse(payload);
    // A damaged record in a push is not shown; the resync refetch renders it as unsupported.
    if (!parsed.success) {
      this.resync();
      return;
    }
    const message = { seq, name: eventName, payload: parsed.data } as PushMessage;
    for (const listener of [...(this.listeners.get(eventName) ?? [])]) listener(message);
  }

  /** Returns false for a message already seen. A gap (or a restarted sequence) triggers a resync. */
  private advance(seq: number): boolean {
    const last = this.lastSeq;
    if (last !== null && seq === last) return false;
    this.lastSeq = seq;
    if (last !== null && seq !== last + 1) this.resync();
    return true;
  }
}
