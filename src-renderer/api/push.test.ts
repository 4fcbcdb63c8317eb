import { describe, expect, it, vi } from 'vitest';
import { PushSequencer } from './push';
import { makeJob } from '../test/fixtures';

function jobChanged(seq: number, job = makeJob()) {
  return { seq, name: 'job.changed', payload: { job } };
}

describe('PushSequencer', () => {
  it('delivers parsed messages to listeners of their name only', () => {
    const sequencer = new PushSequencer();
    const onJob = vi.fn();
    const onEvent = vi.fn();
    sequencer.on('job.changed', onJob);
    sequencer.on('event.appended', onEvent);
    const job = makeJob();
    sequencer.accept(jobChanged(1, job));
    expect(onJob).toHaveBeenCalledWith({ seq: 1, name: 'job.changed', payload: { job } });
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('asks for a resync when a sequence number is skipped', () => {
    const sequencer = new PushSequencer();
    const resync = vi.fn();
    sequencer.onResync(resync);
    sequencer.accept(jobChanged(1));
    sequencer.accept(jobChanged(2));
    expect(resync).not.toHaveBeenCalled();
    sequencer.accept(jobChanged(5));
    expect(resync).toHaveBeenCalledTimes(1);
  });

  it('ignores a repeated message', () => {
    const sequencer = new PushSequencer();
    const onJob = vi.fn();
    sequencer.on('job.changed', onJob);
    sequencer.accept(jobChanged(3));
    sequencer.accept(jobChanged(3));
    expect(onJob).toHaveBeenCalledTimes(1);
  });

  it('does not deliver a damaged record but asks views to refetch it', () => {
    const sequencer = new PushSequencer();
    const onJob = vi.fn();
    const resync = vi.fn();
    sequencer.on('job.changed', onJob);
    sequencer.onResync(resync);
    sequencer.accept(jobChanged(1, { ...makeJob(), job_kind: 'bogus' as never }));
    expect(onJob).not.toHaveBeenCalled();
    expect(resync).toHaveBeenCalledTimes(1);
  });

  it('ignores messages with unknown names or no sequence number', () => {
    const sequencer = new PushSequencer();
    const onJob = vi.fn();
    sequencer.on('job.changed', onJob);
    sequencer.accept({ seq: 1, name: 'something.else', payload: {} });
    sequencer.accept({ name: 'job.changed', payload: { job: makeJob() } });
    sequencer.accept('garbage');
    expect(onJob).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe', () => {
    const sequencer = new PushSequencer();
    const onJob = vi.fn();
    const off = sequencer.on('job.changed', onJob);
    off();
    sequencer.accept(jobChanged(1));
    expect(onJob).not.toHaveBeenCalled();
  });
});
