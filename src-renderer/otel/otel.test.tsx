// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ApiContext } from '../api/ApiContext';
import { DEFAULT_VIEW_STATE } from '../state/hash-state';
import { fakeApi } from '../test/fake-api';
import { uuid } from '../test/fixtures';
import { ExportOtlpButton } from './ExportOtlpButton';
import { OtlpExportStatus } from './OtlpExportStatus';
import { sliceScope } from './otlp-scope';

afterEach(cleanup);

const NOW = new Date('2026-03-01T12:00:00.000Z');
const SUMMARY = { path: '/data/exports/job-1.otlp.jsonl', job_count: 1, trace_count: 1, span_count: 4, event_count: 9, bytes: 2048, truncated: false };

describe('sliceScope', () => {
  it('exports a trace- or job-filtered slice as that trace or job, else its window closed at now', () => {
    const filters = DEFAULT_VIEW_STATE.events;
    const trace = uuid();
    const job = uuid();
    expect(sliceScope({ ...filters, traceId: trace, jobId: job }, NOW)).toEqual({ trace_id: trace });
    expect(sliceScope({ ...filters, jobId: job }, NOW)).toEqual({ job_id: job });
    expect(sliceScope({ ...filters, from: '2026-02-01T00:00:00.000Z' }, NOW)).toEqual({ from: '2026-02-01T00:00:00.000Z', to: NOW.toISOString() });
    expect(sliceScope(filters, NOW)).toEqual({ from: '1970-01-01T00:00:00.000Z', to: NOW.toISOString() });
  });
});

describe('ExportOtlpButton', () => {
  it('calls traces.export_otlp with its scope and shows what was written where', async () => {
    const api = fakeApi({ 'traces.export_otlp': () => ({ ok: true, data: SUMMARY }) });
    const job = uuid();
    render(
      <ApiContext.Provider value={api}>
        <ExportOtlpButton scope={() => ({ job_id: job })} label="Export OTLP" testId="otlp" />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('otlp-button'));
    expect(await screen.findByTestId('otlp-result')).toHaveProperty('textContent', expect.stringContaining('4 spans of 1 job written to /data/exports/job-1.otlp.jsonl'));
    expect(api.calls).toEqual([['traces.export_otlp', { job_id: job }]]);
  });

  it('shows the refusal when the export fails', async () => {
    const api = fakeApi({ 'traces.export_otlp': () => ({ ok: false, error: { code: 'HSK-404-NOT-FOUND', message: 'Nothing to export: no job has events in this window' } }) });
    render(
      <ApiContext.Provider value={api}>
        <ExportOtlpButton scope={() => ({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' })} label="Export slice as OTLP" testId="otlp" />
      </ApiContext.Provider>,
    );
    fireEvent.click(screen.getByTestId('otlp-button'));
    expect((await screen.findByRole('alert')).textContent).toBe('Nothing to export: no job has events in this window');
  });
});

describe('OtlpExportStatus', () => {
  it('is absent while live export is off and shows the counters, endpoint and last error when on', () => {
    const { container } = render(<OtlpExportStatus status={null} />);
    expect(container.textContent).toBe('');
    render(<OtlpExportStatus status={{ endpoint: 'http://127.0.0.1:4318/v1/traces', exported_spans: 12, dropped_spans: 3, queued_spans: 0, last_error: 'connect ECONNREFUSED' }} />);
    const status = screen.getByTestId('otlp-export-status');
    expect(status.textContent).toBe('OTLP: 12 spans sent, 3 dropped');
    expect(status.getAttribute('title')).toBe('Live OTLP export to http://127.0.0.1:4318/v1/traces; last error: connect ECONNREFUSED');
  });
});
