/** Builders for the facts behind an explanation, so every rule states them the same way. */
import type { EventType } from '../../src-shared/events';
import type { ExplanationFact, FactLink } from '../../src-shared/inspector';
import { formatDuration, toRfc3339 } from '../../src-shared/time';
import { shortId } from '../../src-shared/short-id';
import type { JobBrief } from './evidence';

export function fact(key: string, label: string, value: string | number, link: FactLink | null = null): ExplanationFact {
  return { key, label, value: String(value), time: null, link };
}

/** A moment; `value` says it in words relative to `now` ("2 min ago"). */
export function timeFact(key: string, label: string, at: string | number, now: number, link: FactLink | null = null): ExplanationFact {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  const offset = now - ms;
  const words = offset >= 0 ? `${formatDuration(offset)} ago` : `in ${formatDuration(-offset)}`;
  return { key, label, value: words, time: toRfc3339(ms), link };
}

export function jobFact(key: string, label: string, job: JobBrief): ExplanationFact {
  return fact(key, label, job.job_kind, { kind: 'job', id: job.job_id });
}

export function runFact(attempt: number, runId: string): ExplanationFact {
  return fact('attempt', 'Attempt', attempt, { kind: 'run', id: runId });
}

export function eventFact(key: string, label: string, value: string, event: { event_id: string; type: EventType }): ExplanationFact {
  return fact(key, label, value, { kind: 'event', id: event.event_id });
}

/** "1 job", "3 jobs". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "both" for two, "all 4" otherwise: how a person says that every slot is taken. */
export function everySlot(concurrency: number): string {
  if (concurrency === 1) return 'the only worker slot is';
  return concurrency === 2 ? 'both worker slots are' : `all ${concurrency} worker slots are`;
}

/** A status_reason code in words: `exit_nonzero` -> `exit nonzero`. */
export function humanise(reason: string): string {
  return reason.replace(/[_-]+/g, ' ').trim();
}

export function describeBrief(job: JobBrief): string {
  return `${job.job_kind} ${shortId(job.job_id)}`;
}
