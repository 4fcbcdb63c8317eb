// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { JsonViewer } from './JsonViewer';
import { JobRow } from '../jobs/JobRow';
import { parseJobRow } from '../api/records';
import { makeJob } from '../test/fixtures';
import { Highlight, searchTerms } from './Highlight';
import { MultiSelect } from './MultiSelect';
import { liveDurationMs } from '../jobs/live-duration';

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

  it('does not pass a focused checkbox on to the next job when the row is reused for it', () => {
    const [first, second] = [makeJob({ state: 'queued' }), makeJob({ state: 'queued' })];
    const props = { index: 0, start: 0, selected: false, active: false, onOpen: () => {}, chosen: false };
    const { rerender } = render(<JobRow row={first} {...props} />);
    screen.getByTestId('job-choose').focus();
    rerender(<JobRow row={{ ...first, state: 'running' }} {...props} />);
    expect(document.activeElement).toBe(screen.getByTestId('job-choose'));
    rerender(<JobRow row={second} {...props} />);
    expect(screen.getByTestId('job-row').dataset.jobId).toBe(second.job_id);
    expect(document.activeElement).not.toBe(screen.getByTestId('job-choose'));
  });
});

describe('JsonViewer redaction note and folding', () => {
  it('says there was nothing to redact, and offers no reveal, when nothing was removed', () => {
    render(<JsonViewer value={{ token_usage: { total_tokens: 7 } }} label="Payload" testId="viewer" />);
    expect(screen.getByTestId('viewer-redaction').textContent).toBe('Nothing to redact');
    expect(screen.queryByTestId('viewer-reveal')).toBeNull();
    expect(screen.getByLabelText('Payload').textContent).toContain('total_tokens: 7');
  });

  it('counts what it removed', () => {
    render(<JsonViewer value={{ password: 'p', nested: { api_key: 'k' }, text: 'x'.repeat(500) }} label="Payload" testId="viewer" />);
    expect(screen.getByTestId('viewer-redaction').textContent).toBe('Redacted: 2 secret values masked, 1 long string cut');
  });

  it('folds a node and everything on Collapse all, and unfolds on Expand all', () => {
    render(<JsonViewer value={{ argv: ['echo', 'hi'] }} label="Inputs" />);
    const tree = () => screen.getByLabelText('Inputs').textContent ?? '';
    expect(tree()).toContain('0: "echo"');
    fireEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(tree()).not.toContain('"echo"');
    fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(tree()).toContain('0: "echo"');
  });
});

describe('Highlight', () => {
  it('marks every occurrence of the search words, ignoring case', () => {
    const { container } = render(<Highlight text="hsk.docs.summarize.v0" terms={searchTerms('DOCS  v0 "')} />);
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['docs', 'v0']);
    expect(container.textContent).toBe('hsk.docs.summarize.v0');
  });
});

describe('MultiSelect', () => {
  it('closes on Esc and on a press outside it', () => {
    render(
      <div>
        <button type="button">outside</button>
        <MultiSelect label="State" options={['queued', 'failed'] as const} selected={[]} onChange={() => {}} testId="ms" />
      </div>,
    );
    const details = screen.getByTestId('ms') as HTMLDetailsElement;
    fireEvent.click(details.querySelector('summary')!);
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(details.open).toBe(true);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(details.open).toBe(false);
    details.open = true;
    fireEvent(details, new Event('toggle'));
    fireEvent.pointerDown(screen.getByText('outside'));
    expect(details.open).toBe(false);
  });
});

describe('liveDurationMs', () => {
  it('adds the time since a running job started to its finished attempts, and leaves others alone', () => {
    const running = makeJob({ state: 'running', updated_at: '2026-01-20T10:00:00.000Z', metrics: { ...makeJob().metrics, duration_ms: 500 } });
    expect(liveDurationMs(running, Date.parse('2026-01-20T10:00:02.000Z'))).toBe(2_500);
    expect(liveDurationMs({ ...running, state: 'completed' }, Date.parse('2026-01-20T10:00:02.000Z'))).toBe(500);
  });
});

describe('JobRow cursor and choice', () => {
  it('marks the cursor row selected and the open job current, and a finished job cannot be chosen', () => {
    const job = makeJob({ state: 'completed' });
    render(<JobRow row={job} index={0} start={0} selected active={false} onOpen={() => {}} chosen={null} />);
    const row = screen.getByTestId('job-row');
    expect(row.getAttribute('aria-selected')).toBe('false');
    expect(row.getAttribute('aria-current')).toBe('true');
    expect((screen.getByTestId('job-choose') as HTMLInputElement).disabled).toBe(true);
  });
});
