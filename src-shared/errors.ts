/**
 * Stable error codes, the error envelope, and the one shape of input-error details. Callers (tests,
 * the UI, other tools) branch on `code`, never on the message.
 */
import type { z } from 'zod';

export const ERROR_CODES = {
  invalidInput: 'HSK-400-INVALID-INPUT',
  invalidJobKind: 'HSK-400-INVALID-JOB-KIND',
  invalidEvent: 'HSK-400-INVALID-EVENT',
  invalidJson: 'HSK-400-INVALID-JSON',
  unauthorized: 'HSK-401-UNAUTHORIZED',
  forbidden: 'HSK-403-FORBIDDEN',
  capabilityDenied: 'HSK-403-CAPABILITY',
  notFound: 'HSK-404-NOT-FOUND',
  methodNotAllowed: 'HSK-405-METHOD-NOT-ALLOWED',
  illegalTransition: 'HSK-409-ILLEGAL-TRANSITION',
  conflict: 'HSK-409-CONFLICT',
  dataDirLocked: 'HSK-409-DATA-DIR-LOCKED',
  legacyDatabase: 'HSK-409-LEGACY-DATABASE',
  payloadTooLarge: 'HSK-413-PAYLOAD-TOO-LARGE',
  unsupportedRecord: 'HSK-422-UNSUPPORTED-RECORD',
  databaseTooNew: 'HSK-426-DATABASE-TOO-NEW',
  recoveryFailed: 'HSK-503-RECOVERY-FAILED',
  unknownCapability: 'HSK-4001',
  database: 'HSK-500-DB',
  internal: 'HSK-500-INTERNAL',
  export: 'HSK-500-EXPORT',
  invalidBundle: 'HSK-400-INVALID-BUNDLE',
  readOnlyBundle: 'HSK-409-READ-ONLY-BUNDLE',
  notSupported: 'HSK-501-NOT-SUPPORTED',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The error half of the envelope that crosses every process boundary. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error with a stable code. Thrown inside a process; turned into an envelope at its edge. */
export class HskError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'HskError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isHskError(value: unknown): value is HskError {
  return value instanceof HskError;
}

/**
 * One refused part of an input: where (`path`, dotted with [index] for arrays, `(root)` for the
 * whole input), zod's issue code, and a readable message. The shape of `details.issues` in every
 * input-error envelope, from every edge.
 */
export interface InputIssue {
  path: string;
  code: string;
  message: string;
  /** For an unknown field: the names refused, and the names the object at `path` accepts. */
  unknown_fields?: string[];
  accepted_fields?: string[];
}

export interface InputErrorDetails {
  issues: InputIssue[];
}

/** Longest issue list returned to a caller; a huge bad input should not produce a huge reply. */
const MAX_REPORTED_ISSUES = 20;

export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[');
}

/** A zod issue may carry a stable code (see JobKindInputSchema); nested unions hide it a level down. */
function hskCodeOf(issue: z.core.$ZodIssue): ErrorCode | null {
  const params = (issue as { params?: { hsk_code?: unknown } }).params;
  if (params?.hsk_code === ERROR_CODES.invalidJobKind) return ERROR_CODES.invalidJobKind;
  if (issue.code === 'invalid_union') {
    for (const branch of issue.errors) {
      for (const nested of branch) {
        const code = hskCodeOf(nested);
        if (code) return code;
      }
    }
  }
  return null;
}

/** The issues of a zod failure in the shared shape, at most MAX_REPORTED_ISSUES of them. */
export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => ({ path: formatIssuePath(issue.path), code: issue.code, message: issue.message }));
}

/** The code a zod failure maps to: a bad job kind keeps its own code so callers can tell it apart. */
export function codeOfZodError(error: z.ZodError): ErrorCode {
  return error.issues.some((issue) => hskCodeOf(issue) !== null) ? ERROR_CODES.invalidJobKind : ERROR_CODES.invalidInput;
}

/** The input error for a zod failure: stable code, a message naming the first problem, the issues. */
export function inputError(error: z.ZodError, what: string): HskError {
  const issues = issuesOf(error);
  const first = issues[0];
  const details: InputErrorDetails = { issues };
  return new HskError(codeOfZodError(error), `Invalid ${what}${first ? `: ${first.path}: ${first.message}` : ''}`, details);
}

/** Parses `input` with `schema` at an edge, or throws the input error (nothing has been written). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw inputError(result.error, what);
}

/** Reads `details.issues` back from an error body (the renderer, the rejection audit). */
export function issuesOfDetails(details: unknown): InputIssue[] {
  const issues = typeof details === 'object' && details !== null ? (details as { issues?: unknown }).issues : undefined;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is InputIssue =>
      typeof issue === 'object' && issue !== null && typeof issue.path === 'string' && typeof issue.message === 'string',
  );
}

/** An input error about one field that the core found after parsing (a stale cursor, say). */
export function fieldError(path: string, code: string, message: string): HskError {
  const details: InputErrorDetails = { issues: [{ path, code, message }] };
  return new HskError(ERROR_CODES.invalidInput, `Invalid input: ${path}: ${message}`, details);
}
