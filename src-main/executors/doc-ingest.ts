/**
 * doc_ingest: reads one local text/Markdown file from the allowed folder and records its hash,
 * size, line and word counts and a short redacted preview (the content itself stays on disk).
 */
import { createHash } from 'node:crypto';
import { DocIngestInputsSchema } from '../../src-shared/job-inputs';
import { countWords } from '../model-runtime/runtime';
import { redactPreview } from '../security/redact';
import { countLines, readDocumentFor } from './documents';
import { invalidInputs, type ExecutorEntry } from './types';

export const PREVIEW_CHARS = 200;

export const docIngestExecutor: ExecutorEntry = {
  type: 'node',
  runtimeId: 'executor:doc_ingest',
  prepare(raw) {
    const parsed = DocIngestInputsSchema.safeParse(raw);
    if (!parsed.success) throw invalidInputs('doc_ingest', 'expected { path: string } naming a file in the documents folder');
    const { path: requested } = parsed.data;
    return {
      timeoutMs: 30_000,
      async run(ctx) {
        ctx.signal.throwIfAborted();
        const doc = readDocumentFor(ctx, requested, { mustBeNamed: true });
        ctx.addMetrics({ entities_read: 1 });
        return {
          status: 'completed',
          reason: 'ingested',
          outputs: {
            path: doc.relativePath,
            sha256: createHash('sha256').update(doc.bytes).digest('hex'),
            size_bytes: doc.bytes.length,
            line_count: countLines(doc.text),
            word_count: countWords(doc.text),
            preview: redactPreview(doc.text, PREVIEW_CHARS),
          },
        };
      },
    };
  },
};
