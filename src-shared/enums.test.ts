import { describe, expect, it } from 'vitest';
import { JOB_KINDS, JobKindInputSchema, parseJobKind } from './enums';

const CANONICAL_KINDS = [
  'doc_edit',
  'doc_rewrite',
  'doc_summarize',
  'sheet_transform',
  'canvas_cluster',
  'asr_transcribe',
  'workflow_run',
  'spec_router',
  'debug_bundle_export',
  'terminal_exec',
  'doc_ingest',
  'distillation_eval',
];

describe('parseJobKind', () => {
  it('knows exactly the 12 canonical kinds of the spec', () => {
    expect([...JOB_KINDS].sort()).toEqual([...CANONICAL_KINDS].sort());
  });

  it.each(CANONICAL_KINDS)('accepts the canonical kind %s unchanged with no alias', (kind) => {
    expect(parseJobKind(kind)).toEqual({ ok: true, kind, alias: null });
  });

  it('turns the legacy alias term_exec into terminal_exec and records the alias', () => {
    expect(parseJobKind('term_exec')).toEqual({ ok: true, kind: 'terminal_exec', alias: 'term_exec' });
  });

  // Near misses are the drift the work packet forbids: no trimming, no case folding, no guessing.
  it.each([
    'doc_test',
    'governance_pack_export',
    'Doc_Edit',
    'DOC_EDIT',
    ' doc_edit',
    'doc_edit ',
    'doc_edit\n',
    '',
    'Term_exec',
    '__proto__',
    'toString',
    'constructor',
    'hasOwnProperty',
  ])('rejects %j', (value) => {
    const result = parseJobKind(value);
    expect(result.ok).toBe(false);
  });

  it.each([null, undefined, 0, 1, true, {}, [], ['doc_edit'], { kind: 'doc_edit' }])(
    'rejects the non-string %j',
    (value) => {
      expect(parseJobKind(value)).toEqual({ ok: false, reason: 'job_kind must be a string' });
    },
  );

  it('names the expected kinds in its refusal so a caller can fix the input', () => {
    const result = parseJobKind('doc_test');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('terminal_exec');
  });
});

describe('JobKindInputSchema', () => {
  it('outputs the canonical kind for the alias', () => {
    expect(JobKindInputSchema.parse('term_exec')).toBe('terminal_exec');
  });

  it('tags a refusal with the stable code HSK-400-INVALID-JOB-KIND', () => {
    const result = JobKindInputSchema.safeParse('governance_pack_export');
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0] as { params?: { hsk_code?: string } } | undefined;
    expect(issue?.params?.hsk_code).toBe('HSK-400-INVALID-JOB-KIND');
  });
});
