import { describe, expect, it } from 'vitest';
import { createPushOutbox } from './push-outbox';

function outboxWithLog(limit?: number) {
  const delivered: number[] = [];
  const outbox = createPushOutbox<number>((seq) => delivered.push(seq), limit);
  return { outbox, delivered };
}

describe('createPushOutbox', () => {
  it('holds messages until the page is ready, then delivers them in order with no gap', () => {
    const { outbox, delivered } = outboxWithLog();
    outbox.push(1);
    outbox.push(2);
    expect(delivered).toEqual([]);
    outbox.markReady();
    outbox.push(3);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('holds again while the page reloads and resumes on the next ready signal', () => {
    const { outbox, delivered } = outboxWithLog();
    outbox.markReady();
    outbox.push(1);
    outbox.markNotReady();
    outbox.push(2);
    outbox.push(3);
    expect(delivered).toEqual([1]);
    outbox.markReady();
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('delivers a held message once, even when ready is signalled twice', () => {
    const { outbox, delivered } = outboxWithLog();
    outbox.push(1);
    outbox.markReady();
    outbox.markReady();
    expect(delivered).toEqual([1]);
  });

  it('keeps only the newest messages for a page that never gets ready', () => {
    const { outbox, delivered } = outboxWithLog(3);
    for (let seq = 1; seq <= 5; seq += 1) outbox.push(seq);
    outbox.markReady();
    expect(delivered).toEqual([3, 4, 5]);
  });
});
