/**
 * Push messages on their way to the window. The core starts pushing as soon as it opens, long
 * before the page has subscribed; a message sent then would be lost without a seq gap to show it.
 * So messages wait here, in order, until the page signals it is ready (as electron/fiddle's IPC
 * manager queues per web contents), and wait again while the page reloads.
 */
export const OUTBOX_LIMIT = 10_000;

export interface PushOutbox<T> {
  push(message: T): void;
  /** The page has subscribed: deliver what waited, in order, then deliver directly. */
  markReady(): void;
  /** The page is being replaced (navigation, crash): hold messages until the next ready signal. */
  markNotReady(): void;
}

/**
 * While not ready, at most `limit` messages wait; past that the oldest go. A page that is not ready
 * fetches its state after signalling, so what it missed while loading is in that fetch.
 */
export function createPushOutbox<T>(deliver: (message: T) => void, limit = OUTBOX_LIMIT): PushOutbox<T> {
  let waiting: T[] = [];
  let ready = false;
  return {
    push(message) {
      if (ready) return deliver(message);
      waiting.push(message);
      if (waiting.length > limit) waiting.shift();
    },
    markReady() {
      const queued = waiting;
      waiting = [];
      ready = true;
      for (const message of queued) deliver(message);
    },
    markNotReady() {
      ready = false;
    },
  };
}
