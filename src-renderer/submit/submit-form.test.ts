import { describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src-shared/enums';
import { defaultForm, validateForm, withKind } from './submit-form';
import { fieldErrorsFromDetails } from './field-errors';

describe('submit form validation', () => {
  it('accepts the defaults for every kind', () => {
    const result = validateForm(defaultForm());
    expect(result.ok).toBe(true);
    expect(result.ok && result.input.job_kind).toBe('terminal_exec');
  });

  it('reports broken JSON next to the inputs field without sending anything', () => {
    const result = validateForm({ ...defaultForm(), job_inputs: '{"argv": [' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.job_inputs).toMatch(/not valid JSON/);
  });

  it('accepts the default form of every kind (each template passes its kind\'s schema)', () => {
    for (const kind of JOB_KINDS) expect(validateForm(defaultForm(kind)).ok, kind).toBe(true);
  });

  it('names the doc_ingest file in entity_refs, as the policy requires', () => {
    const result = validateForm(defaultForm('doc_ingest'));
    expect(result.ok && result.input.entity_refs).toEqual([{ entity_kind: 'file', entity_id: 'notes.md' }]);
  });

  it('reports a missing doc_id of a doc_summarize on the inputs and on the doc_id field', () => {
    const form = defaultForm('doc_summarize');
    const result = validateForm({ ...form, job_inputs: JSON.stringify({ text: 'x' }) });
    expect(!result.ok && result.errors['job_inputs.doc_id']).toBeTruthy();
    expect(!result.ok && result.errors.job_inputs).toMatch(/^doc_id: /);
  });

  it('reports a missing protocol id and a malformed trace id on their fields', () => {
    const result = validateForm({ ...defaultForm(), protocol_id: '  ', trace_id: 'not-a-uuid' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.protocol_id).toBeDefined();
    expect(result.errors.trace_id).toBeDefined();
  });

  it('refreshes the protocol and inputs on a kind change unless the person edited them', () => {
    const switched = withKind(defaultForm('terminal_exec'), 'doc_summarize');
    expect(switched.protocol_id).toBe('hsk.docs.summarize.v0');
    expect(JSON.parse(switched.job_inputs)).toHaveProperty('text');
    expect(switched.access_mode).toBe('analysis_only');
    expect(defaultForm('terminal_exec').access_mode).toBe('apply_scoped');
    const edited = withKind({ ...defaultForm('terminal_exec'), protocol_id: 'mine' }, 'doc_summarize');
    expect(edited.protocol_id).toBe('mine');
  });
});

describe('fieldErrorsFromDetails', () => {
  it('maps the router issue list (dotted paths) to top-level fields', () => {
    const details = { issues: [{ path: 'job_inputs.argv[0]', message: 'expected string' }, { path: 'job_kind', message: 'unknown job_kind' }] };
    expect(fieldErrorsFromDetails(details)).toEqual({ job_inputs: 'expected string', job_kind: 'unknown job_kind' });
  });

  it('keeps the first message of a field with several issues', () => {
    const details = { issues: [{ path: 'protocol_id', code: 'too_big', message: 'too long' }, { path: 'protocol_id', code: 'custom', message: 'other' }] };
    expect(fieldErrorsFromDetails(details)).toEqual({ protocol_id: 'too long' });
  });

  it('returns nothing for details that name no field', () => {
    expect(fieldErrorsFromDetails(undefined)).toEqual({});
    expect(fieldErrorsFromDetails({ issues: [{ path: '(root)', code: 'invalid_type', message: 'x' }] })).toEqual({});
  });
});
