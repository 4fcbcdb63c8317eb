/**
 * Turning zod failures into stable, readable error details, and parsing store inputs at the edge.
 */
import type { z } from 'zod';
import { ERROR_CODES, HskError, type ErrorCode } from '../../src-shared/errors';

export interface IssueDetail {
  path: string;
  message: string;
}

export function describeIssues(error: z.ZodError): IssueDetail[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** The code a zod failure maps to: a bad job kind keeps its own code so callers can tell it apart. */
export function codeForIssues(error: z.ZodError): ErrorCode {
  const kindIssue = error.issues.some(
    (issue) =>
      issue.code === 'custom' &&
      (issue as { params?: { hsk_code?: string } }).params?.hsk_code === ERROR_CODES.invalidJobKind,
  );
  return kindIssue ? ERROR_CODES.invalidJobKind : ERROR_CODES.invalidInput;
}

/** Parses `input` or throws an HskError with a stable code and per-field details. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = describeIssues(result.error);
  const first = details[0];
  throw new HskError(
    codeForIssues(result.error),
    `invalid ${what}: ${first ? `${first.path}: ${first.message}` : 'malformed'}`,
    { issues: details },
  );
}
