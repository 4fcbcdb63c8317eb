/**
 * jobs.terminal_output: the tail of what a terminal_exec command wrote, read from the files its
 * executor captures (<dataDir>/artifacts/<job_id>/<node_execution_id>.<stream>.log), secrets
 * masked. While the command runs the files grow, so a caller polls for the live tail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { TerminalOutput, TerminalStream } from '../../src-shared/inspector';
import type { NodeExecution, WorkflowRun } from '../../src-shared/job';
import { Redactor } from '../security/redact';
import { artifactPath } from './artifacts';

export const DEFAULT_TAIL_BYTES = 64 * 1024;

export function capturedOutputFile(jobArtifactDir: string, nodeExecutionId: string, stream: TerminalStream): string {
  return path.join(jobArtifactDir, `${nodeExecutionId}.${stream}.log`);
}

export interface TerminalOutputRequest {
  job_id: string;
  node_execution_id?: string;
  stream: TerminalStream;
  max_bytes?: number;
}

/** The requested terminal_exec node of the job's runs, or its latest one. */
function pickNode(runs: WorkflowRun[], request: TerminalOutputRequest): NodeExecution | null {
  const nodes = runs.flatMap((run) => run.nodes).filter((node) => node.node_type === 'terminal_exec');
  if (request.node_execution_id === undefined) return nodes.at(-1) ?? null;
  const node = nodes.find((candidate) => candidate.node_execution_id === request.node_execution_id);
  if (!node) {
    throw new HskError(ERROR_CODES.notFound, `job ${request.job_id} has no terminal_exec node ${request.node_execution_id}`, {
      job_id: request.job_id,
      node_execution_id: request.node_execution_id,
    });
  }
  return node;
}

/** The last `maxBytes` of `file` (empty when it is not there yet), starting on a whole character. */
function readTail(file: string, maxBytes: number): { bytes: Buffer; size: number; from: number } {
  let handle: number;
  try {
    handle = fs.openSync(file, 'r');
  } catch {
    return { bytes: Buffer.alloc(0), size: 0, from: 0 };
  }
  try {
    const size = fs.fstatSync(handle).size;
    let from = Math.max(0, size - maxBytes);
    const bytes = Buffer.alloc(size - from);
    fs.readSync(handle, bytes, 0, bytes.length, from);
    // Skip UTF-8 continuation bytes so the tail does not open with half a character.
    let skip = 0;
    while (from > 0 && skip < bytes.length && skip < 3 && (bytes[skip]! & 0xc0) === 0x80) skip += 1;
    from += skip;
    return { bytes: bytes.subarray(skip), size, from };
  } finally {
    fs.closeSync(handle);
  }
}

export function readTerminalOutput(dataDir: string, runs: WorkflowRun[], request: TerminalOutputRequest): TerminalOutput {
  const node = pickNode(runs, request);
  const empty = { job_id: request.job_id, stream: request.stream, text: '', size_bytes: 0, from_byte: 0, redacted_count: 0 };
  if (!node) return { ...empty, node_execution_id: null, live: false };
  const file = capturedOutputFile(artifactPath(dataDir, request.job_id), node.node_execution_id, request.stream);
  const tail = readTail(file, request.max_bytes ?? DEFAULT_TAIL_BYTES);
  const redactor = new Redactor();
  const text = redactor.redactText(tail.bytes.toString('utf8'));
  return {
    ...empty,
    node_execution_id: node.node_execution_id,
    text,
    size_bytes: tail.size,
    from_byte: tail.from,
    redacted_count: redactor.report.total,
    live: node.status === 'running',
  };
}
