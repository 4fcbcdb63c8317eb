// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { JsonViewer } from './JsonViewer';
import { JobRow } from '../jobs/JobRow';
import { parseJobRow } from '../api/records';
import { makeJob } from '../test/fixtures';

afterEach(cleanup);

describe('JsonViewer', () => {
  it('masks secrets until Reveal is pressed, and hides them again', () => {
    render(<JsonViewer value={{ api_key: 'sk-live-123', note: 'ok' }} label="Inputs" testId="viewer" />);
    const text = () => screen.getByLabelText('Inputs').textContent ?? '';
    expect(text()).not.toContain('sk-live-123');
    expect(text()).toContain('[REDACTED]');
    fireEvent.click(screen.getByTestId('viewer-reveal'));
    expect(text()).toContain('sk-live-123');
    expect(screen.getByTestId('viewer-reveal').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('viewer-reveal'));
    expect(text()).not.toContain('sk-live-123');
  });
});

describe('JobRow', () => {
  it('shows a damaged row as an unsupported record with its raw id, never as a job', () => {
    const row = parseJobRow({ ...makeJob(), job_id: 'broken-7', job_kind: 'summarise' });
    render(<JobRow row={row} index={0} start={0} selected={false} active={false} onOpen={() => {}} />);
    expect(screen.getByTestId('unsupported-record').textContent).toContain('broken-7');
    expect(screen.queryByTestId('job-row')).toBeNull();
    expect(screen.queryByTestId('state-badge')).toBeNull();
  });

  it('shows a valid job with its state badge text and canonical kind', () => {
    const job = makeJob({ state: 'stalled', job_kind: 'doc_summarize' });
    render(<JobRow row={job} index={0} start={0} selected={false} active={false} onOpen={() => {}} />);
    expect(screen.getByTestId('state-badge').textContent).toBe('stalled');
    expect(screen.getByTestId('job-kind').textContent).toBe('doc_summarize');
  });
});
