// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { JobExplanation } from '../../src-shared/inspector';
import { ApiContext } from '../api/ApiContext';
import { fakeApi } from '../test/fake-api';
import { makeJob, uuid } from '../test/fixtures';
import { ExplainPanel, ExplanationView, RerunLinksView } from './ExplainPanel';

afterEach(cleanup);

const jobId = uuid();
const eventId = uuid();
const explanation: JobExplanation = {
  job_id: jobId,
  state: 'stalled',
  reason: 'stalled_after_crash',
  sentence: 'Stalled: the app stopped unexpectedly while attempt 1 ran. Resume, fail or cancel it.',
  facts: [
    { key: 'last_heartbeat', label: 'Last heartbeat', value: '2 min ago', time: '2026-01-20T10:00:00.000Z', link: null },
    { key: 'recovered_at', label: 'Marked stalled by startup recovery', value: '1 min ago', time: '2026-01-20T10:01:00.000Z', link: { kind: 'event', id: eventId } },
    { key: 'slot_holder', label: 'Running in a slot', value: 'doc_summarize', time: null, link: { kind: 'job', id: jobId } },
  ],
  explained_at: '2026-01-20T10:02:00.000Z',
};

describe('ExplanationView', () => {
  it('shows the sentence with the state, and every fact with its label, time and record', () => {
    const onOpen = vi.fn();
    render(<ExplanationView explanation={explanation} onOpen={onOpen} />);
    const sentence = screen.getByTestId('state-explanation');
    expect(sentence.getAttribute('data-reason')).toBe('stalled_after_crash');
    expect(within(sentence).getByTestId('state-badge').textContent).toBe('stalled');
    expect(sentence.textContent).toContain('Resume, fail or cancel it.');
    const facts = screen.getByTestId('explain-facts');
    expect([...facts.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual(['Last heartbeat', 'Marked stalled by startup recovery', 'Running in a slot']);
    const heartbeat = facts.querySelector('[data-fact=last_heartbeat]')!;
    expect(heartbeat.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-20T10:00:00.000Z');
    expect(heartbeat.textContent).toContain('(2 min ago)');
    expect(heartbeat.querySelector('[data-testid=fact-link]')).toBeNull();
    fireEvent.click(within(facts.querySelector('[data-fact=recovered_at]') as HTMLElement).getByTestId('fact-link'));
    expect(onOpen).toHaveBeenCalledWith({ kind: 'event', id: eventId });
    const job = within(facts.querySelector('[data-fact=slot_holder]') as HTMLElement).getByTestId('fact-link');
    expect(job.textContent).toBe(`Open job ${jobId.split('-')[4]!.slice(0, 8)}`);
  });

  it('shows no facts list when there are none', () => {
    render(<ExplanationView explanation={{ ...explanation, facts: [] }} onOpen={() => {}} />);
    expect(screen.queryByTestId('explain-facts')).toBeNull();
  });
});

describe('RerunLinksView', () => {
  it('links a rerun to its source and a source to its reruns', () => {
    const onOpen = vi.fn();
    const source = { job_id: uuid(), job_kind: 'doc_edit' as const, state: 'failed' as const, created_at: '2026-01-20T10:00:00.000Z' };
    const rerun = { ...source, job_id: uuid(), state: 'queued' as const };
    render(<RerunLinksView links={{ rerun_of: source, reruns: [rerun] }} onOpen={onOpen} />);
    expect(screen.getByTestId('rerun-of').textContent).toContain('Rerun of doc_edit');
    fireEvent.click(within(screen.getByTestId('reruns')).getByTestId('rerun-link'));
    expect(onOpen).toHaveBeenCalledWith({ kind: 'job', id: rerun.job_id });
  });

  it('renders nothing for a job that is neither', () => {
    const { container } = render(<RerunLinksView links={{ rerun_of: null, reruns: [] }} onOpen={() => {}} />);
    expect(container.textContent).toBe('');
  });
});

describe('ExplainPanel', () => {
  it('asks jobs.explain for the job and shows the answer', async () => {
    const job = makeJob({ job_id: jobId, state: 'stalled' });
    const api = fakeApi({
      'jobs.explain': () => ({ ok: true, data: explanation }),
      'jobs.reruns': () => ({ ok: true, data: { rerun_of: null, reruns: [] } }),
    });
    render(
      <ApiContext.Provider value={api}>
        <ExplainPanel job={job} now={0} onOpen={() => {}} />
      </ApiContext.Provider>,
    );
    expect((await screen.findByTestId('state-explanation')).textContent).toContain(explanation.sentence);
    expect(api.calls).toContainEqual(['jobs.explain', { job_id: jobId }]);
    expect(screen.getByRole('heading').textContent).toBe('Why it is stalled');
  });

  it('says so when the core cannot explain', async () => {
    const api = fakeApi({ 'jobs.explain': () => ({ ok: false, error: { code: 'HSK-404-NOT-FOUND', message: 'job does not exist' } }) });
    render(
      <ApiContext.Provider value={api}>
        <ExplainPanel job={makeJob()} now={0} onOpen={() => {}} />
      </ApiContext.Provider>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('HSK-404-NOT-FOUND');
  });
});
