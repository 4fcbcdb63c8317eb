// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { JOB_STATES } from '../../src-shared/enums';
import { ApiContext } from '../api/ApiContext';
import { allowedActions, JobActions } from './JobActions';
import { fakeApi } from '../test/fake-api';
import { makeEvent, makeJob } from '../test/fixtures';

afterEach(cleanup);

describe('allowedActions', () => {
  it('offers resume, cancel and fail on a stalled job', () => {
    expect(allowedActions({ state: 'stalled' })).toEqual(['resume', 'cancel', 'fail']);
  });

  it('offers only cancel on queued and running jobs', () => {
    expect(allowedActions({ state: 'queued' })).toEqual(['cancel']);
    expect(allowedActions({ state: 'running' })).toEqual(['cancel']);
  });

  it('never offers resume on a poisoned job, nor anything on a terminal one', () => {
    expect(allowedActions({ state: 'poisoned' })).toEqual([]);
    for (const state of ['completed', 'failed', 'cancelled', 'completed_with_issues'] as const) expect(allowedActions({ state })).toEqual([]);
  });

  it('offers accept and reject (instead of a bare cancel) on a job that waits for a person', () => {
    expect(allowedActions({ state: 'awaiting_validation' })).toEqual(['accept', 'reject']);
    expect(allowedActions({ state: 'awaiting_user' })).toEqual(['accept', 'reject', 'resume']);
    const deciding = JOB_STATES.filter((state) => allowedActions({ state }).includes('accept'));
    expect(deciding).toEqual(['awaiting_validation', 'awaiting_user']);
  });

  it('offers resume only where the transition table leads to queued by an operator', () => {
    const resumable = JOB_STATES.filter((state) => allowedActions({ state }).includes('resume'));
    expect(resumable).toEqual(['stalled', 'awaiting_user']);
  });
});

describe('JobActions', () => {
  it('asks for confirmation, calls the channel, then shows the recorded human event', async () => {
    const job = makeJob({ state: 'stalled' });
    const cancelled = { ...job, state: 'cancelled' as const };
    const event = makeEvent({ type: 'job_state_changed', actor: 'human', job_id: job.job_id, payload: { from_state: 'stalled', to_state: 'cancelled', cause: 'operator', reason: 'cancelled_by_operator' } });
    const api = fakeApi({
      'jobs.cancel': () => ({ ok: true, data: cancelled }),
      'events.list': () => ({ ok: true, data: { items: [event], next_cursor: null, purged_before: null } }),
    });
    render(
      <ApiContext.Provider value={api}>
        <JobActions job={job} onChanged={() => {}} onRerun={() => {}} />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('action-cancel'));
    expect(api.calls).toEqual([]);
    fireEvent.click(screen.getByTestId('confirm-action'));
    const result = await screen.findByTestId('action-result');
    expect(api.calls[0]).toEqual(['jobs.cancel', { job_id: job.job_id }]);
    expect(api.calls[1]).toEqual(['events.list', { job_id: job.job_id, actor: 'human', order: 'desc', limit: 1 }]);
    expect(result.textContent).toContain('stalled → cancelled');
    expect(screen.getByTestId('action-result-actor').textContent).toBe('human');
  });

  it('shows the exact argv of a job waiting for consent before the operator consents, then calls jobs.accept', async () => {
    const job = makeJob({ state: 'awaiting_user', status_reason: 'consent_required', job_inputs: { argv: ['rm', '-rf', 'build dir'] }, consent: { decision: 'pending', source: null, decided_at: null, expires_at: null } });
    const api = fakeApi({
      'jobs.accept': () => ({ ok: true, data: { ...job, state: 'queued' as const } }),
      'events.list': () => ({ ok: true, data: { items: [], next_cursor: null, purged_before: null } }),
    });
    render(
      <ApiContext.Provider value={api}>
        <JobActions job={job} onChanged={() => {}} onRerun={() => {}} />
      </ApiContext.Provider>,
    );
    expect(screen.getByTestId('action-accept').textContent).toBe('Consent and run');
    fireEvent.click(screen.getByTestId('action-accept'));
    const argv = [...screen.getByTestId('consent-argv').querySelectorAll('li')].map((item) => item.textContent);
    expect(argv).toEqual(['rm', '-rf', 'build dir']);
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('awaiting_user → queued');
    fireEvent.click(screen.getByTestId('confirm-action'));
    await screen.findByTestId('action-result');
    expect(api.calls[0]).toEqual(['jobs.accept', { job_id: job.job_id }]);
  });

  it('previews the held result and what the validators said before accepting it', () => {
    const job = makeJob({
      job_kind: 'doc_rewrite',
      state: 'awaiting_user',
      consent: { decision: 'not_required', source: null, decided_at: null, expires_at: null },
      job_outputs: { output_text: '[mock:echo] The report is ready.', validation: { verdict: 'allow', hold: 'awaiting_user', results: [{ validator_id: 'human_review', result: 'allow', message: 'applying a proposed change needs the operator to accept it' }] } },
    });
    render(
      <ApiContext.Provider value={fakeApi({})}>
        <JobActions job={job} onChanged={() => {}} onRerun={() => {}} />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('action-reject'));
    expect(screen.getByTestId('decision-output').textContent).toBe('[mock:echo] The report is ready.');
    expect(screen.getByTestId('decision-validators').textContent).toContain('human_review');
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('awaiting_user → cancelled');
  });

  it('shows the API refusal inside the dialog and keeps it open', async () => {
    const job = makeJob({ state: 'running' });
    const api = fakeApi({ 'jobs.cancel': () => ({ ok: false, error: { code: 'HSK-409-ILLEGAL-TRANSITION', message: 'already finished' } }) });
    render(
      <ApiContext.Provider value={api}>
        <JobActions job={job} onChanged={() => {}} onRerun={() => {}} />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('action-cancel'));
    fireEvent.click(screen.getByTestId('confirm-action'));
    expect((await screen.findByTestId('action-error')).textContent).toContain('HSK-409-ILLEGAL-TRANSITION');
    expect(screen.getByTestId('confirm-dialog')).toBeTruthy();
  });

  it('offers Run again only on a finished job, and hands over the new job with the edited inputs', async () => {
    const queued = makeJob({ state: 'queued' });
    const api = fakeApi({ 'jobs.rerun': (input) => ({ ok: true, data: makeJob({ job_inputs: (input as { job_inputs: unknown }).job_inputs as never }) }) });
    const { rerender } = render(
      <ApiContext.Provider value={api}>
        <JobActions job={queued} onChanged={() => {}} onRerun={() => {}} />
      </ApiContext.Provider>,
    );
    expect(screen.queryByTestId('action-rerun')).toBeNull();
    const failed = makeJob({ state: 'failed', job_inputs: { argv: ['ls'] } });
    const created: unknown[] = [];
    rerender(
      <ApiContext.Provider value={api}>
        <JobActions job={failed} onChanged={() => {}} onRerun={(job) => created.push(job.job_inputs)} />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('action-rerun'));
    fireEvent.change(screen.getByTestId('rerun-inputs'), { target: { value: '{"argv": ["ls", "-la"]}' } });
    fireEvent.click(screen.getByTestId('rerun-confirm'));
    await screen.findByTestId('action-rerun');
    await vi.waitFor(() => expect(created).toEqual([{ argv: ['ls', '-la'] }]));
    expect(api.calls).toEqual([['jobs.rerun', { job_id: failed.job_id, job_inputs: { argv: ['ls', '-la'] } }]]);
  });
});
