/**
 * Reading a local document for a job: only text/Markdown files inside the allowed folder. The
 * check is on the real path, so a symlink or `..` cannot lead outside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ExecutorFailure, type ExecutorContext } from './types';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md', '.markdown', '.text'] as const;
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface LocalDocument {
  /** Relative to the allowed folder, with forward slashes. */
  relativePath: string;
  bytes: Buffer;
  text: string;
}

/** Where a requested document really is (symlinks and `..` resolved), and whether that is inside the allowed folder. */
function locateDocument(documentsDir: string, requested: string): { real: string; within: boolean } {
  fs.mkdirSync(documentsDir, { recursive: true });
  const root = fs.realpathSync(documentsDir);
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(root, requested));
  } catch {
    throw new ExecutorFailure('file_not_found', `no such document: ${requested}`);
  }
  return { real, within: real !== root && real.startsWith(root + path.sep) };
}

/**
 * Reads a document for a job, after the capability check before a file read (fs.read, inside the
 * allowed folder, and for doc_ingest named in entity_refs). A denial throws CapabilityDenied.
 */
export function readDocumentFor(ctx: ExecutorContext, requested: string, options: { mustBeNamed: boolean }): LocalDocument {
  const { real, within } = locateDocument(ctx.documentsDir, requested);
  const named = ctx.job.entity_refs.some((ref) => ref.entity_kind === 'file' && ref.entity_id === requested);
  ctx.authorize({
    capability: 'fs.read',
    checkpoint: 'file_read',
    file: { within_allowed_folder: within, ...(options.mustBeNamed ? { named_in_entity_refs: named } : {}) },
  });
  return readLocated(fs.realpathSync(ctx.documentsDir), real, requested);
}

function readLocated(root: string, real: string, requested: string): LocalDocument {
  const stat = fs.statSync(real);
  if (!stat.isFile()) throw new ExecutorFailure('not_a_file', `${requested} is not a regular file`);
  if (!(DOCUMENT_EXTENSIONS as readonly string[]).includes(path.extname(real).toLowerCase())) {
    throw new ExecutorFailure('unsupported_file_type', `${requested}: only ${DOCUMENT_EXTENSIONS.join(', ')} files are read`);
  }
  if (stat.size > MAX_DOCUMENT_BYTES) {
    throw new ExecutorFailure('file_too_large', `${requested} is ${stat.size} bytes; the limit is ${MAX_DOCUMENT_BYTES}`);
  }
  const bytes = fs.readFileSync(real);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ExecutorFailure('not_text', `${requested} is not UTF-8 text`);
  }
  if (text.includes('\u0000')) throw new ExecutorFailure('not_text', `${requested} contains NUL bytes`);
  return { relativePath: path.relative(root, real).split(path.sep).join('/'), bytes, text };
}

export function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /(?:\r\n|\r|\n)$/.test(text) ? newlines : newlines + 1;
}
