import { describe, expect, it } from 'vitest';
import type { FlightEvent } from '../../src-shared/events';
import { makeEvent } from '../test/fixtures';
import { alignEvents } from './align-events';

const events = (...types: string[]): FlightEvent[] => types.map((type, index) => ({ ...makeEvent(), type: type as FlightEvent['type'], seq: index + 1 }));
const shape = (rows: ReturnType<typeof alignEvents>) => rows.map((row) => `${row.left ? row.left.type : '-'}|${row.right ? row.right.type : '-'}`);

describe('alignEvents', () => {
  it('pairs events of the same type in order and leaves a gap where one side has none', () => {
    const left = events('job_created', 'workflow_run_started', 'llm_inference', 'workflow_run_finished');
    const right = events('job_created', 'workflow_run_started', 'capability_action', 'llm_inference', 'security_violation', 'workflow_run_finished');
    expect(shape(alignEvents(left, right))).toEqual([
      'job_created|job_created',
      'workflow_run_started|workflow_run_started',
      '-|capability_action',
      'llm_inference|llm_inference',
      '-|security_violation',
      'workflow_run_finished|workflow_run_finished',
    ]);
  });

  it('keeps each side in its own order and uses every event once', () => {
    const left = events('a_type', 'b_type', 'c_type');
    const right = events('c_type', 'a_type');
    const rows = alignEvents(left, right);
    expect(rows.flatMap((row) => (row.left ? [row.left.seq] : []))).toEqual([1, 2, 3]);
    expect(rows.flatMap((row) => (row.right ? [row.right.seq] : []))).toEqual([1, 2]);
  });

  it('aligns identical sequences one to one, and an empty side as all gaps', () => {
    expect(shape(alignEvents(events('job_created'), events('job_created')))).toEqual(['job_created|job_created']);
    expect(shape(alignEvents([], events('job_created')))).toEqual(['-|job_created']);
  });
});
