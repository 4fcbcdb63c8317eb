// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { JOB_KINDS } from '../../src-shared/enums';
import { ApiContext } from '../api/ApiContext';
import { SubmitDialog } from './SubmitDialog';
import { fakeApi } from '../test/fake-api';
import { makeJob } from '../test/fixtures';

afterEach(cleanup);

function renderDialog(api = fakeApi({})) {
  const onCreated = vi.fn();
  render(
    <ApiContext.Provider value={api}>
      <SubmitDialog onClose={() => {}} onCreated={onCreated} />
    </ApiContext.Provider>,
  );
  return { api, onCreated };
}

describe('SubmitDialog', () => {
  it('offers exactly the canonical job kinds', () => {
    renderDialog();
    const options = [...(screen.getByTestId('submit-kind') as HTMLSelectElement).options].map((option) => option.value);
    expect(options).toEqual([...JOB_KINDS]);
    expect(options).not.toContain('term_exec');
  });

  it('shows a JSON error next to the inputs and sends nothing', () => {
    const { api } = renderDialog();
    fireEvent.change(screen.getByTestId('submit-inputs'), { target: { value: '{ nope' } });
    fireEvent.click(screen.getByTestId('submit-job'));
    expect(screen.getByTestId('submit-error-job_inputs').textContent).toMatch(/not valid JSON/);
    expect(api.calls).toEqual([]);
  });

  it('places an API error next to the field its details name', async () => {
    const api = fakeApi({
      'jobs.create': () => ({ ok: false, error: { code: 'HSK-400-INVALID-INPUT', message: 'Invalid input', details: { issues: [{ path: 'job_inputs.argv', message: 'argv must not be empty' }] } } }),
    });
    renderDialog(api);
    fireEvent.click(screen.getByTestId('submit-job'));
    expect((await screen.findByTestId('submit-error-job_inputs')).textContent).toBe('argv must not be empty');
  });

  it('hands the created job back', async () => {
    const job = makeJob();
    const api = fakeApi({ 'jobs.create': () => ({ ok: true, data: job }) });
    const { onCreated } = renderDialog(api);
    fireEvent.change(screen.getByTestId('submit-kind'), { target: { value: 'doc_summarize' } });
    fireEvent.click(screen.getByTestId('submit-job'));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(job));
    expect(api.calls[0]![1]).toMatchObject({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: expect.any(String) } });
  });

  it('offers only the protocols the registry lists for the kind', () => {
    renderDialog();
    fireEvent.change(screen.getByTestId('submit-kind'), { target: { value: 'workflow_run' } });
    const options = [...(screen.getByTestId('submit-protocol') as HTMLSelectElement).options].map((option) => option.value);
    expect(options).toEqual(['hsk.workflow.v0', 'hsk.governance_pack.export.v0']);
  });

  it('edits argv one argument per line in the terminal form, and the JSON follows', () => {
    renderDialog();
    fireEvent.change(screen.getByTestId('submit-input-argv'), { target: { value: 'ls\n-la\nmy dir' } });
    expect(JSON.parse((screen.getByTestId('submit-inputs') as HTMLTextAreaElement).value)).toMatchObject({ argv: ['ls', '-la', 'my dir'] });
  });

  it('refuses inputs that do not fit the kind, naming the field, and sends nothing', () => {
    const { api } = renderDialog();
    fireEvent.change(screen.getByTestId('submit-inputs'), { target: { value: '{"cmd": "echo x"}' } });
    fireEvent.click(screen.getByTestId('submit-job'));
    expect(screen.getByTestId('submit-error-job_inputs').textContent).toMatch(/argv|cmd/);
    expect(api.calls).toEqual([]);
  });
});
