/**
 * Stable error codes. Callers (tests, the UI, other tools) branch on `code`, never on the message.
 */
export const ERROR_CODES = {
  invalidInput: 'HSK-400-INVALID-INPUT',
  invalidJobKind: 'HSK-400-INVALID-JOB-KIND',
  invalidEvent: 'HSK-400-INVALID-EVENT',
  invalidJson: 'HSK-400-INVALID-JSON',
  unauthorized: 'HSK-401-UNAUTHORIZED',
  forbidden: 'HSK-403-FORBIDDEN',
  capabilityDenied: 'HSK-403-CAPABILITY',
  notFound: 'HSK-404-NOT-FOUND',
  illegalTransition: 'HSK-409-ILLEGAL-TRANSITION',
  conflict: 'HSK-409-CONFLICT',
  dataDirLocked: 'HSK-409-DATA-DIR-LOCKED',
  legacyDatabase: 'HSK-409-LEGACY-DATABASE',
  payloadTooLarge: 'HSK-413-PAYLOAD-TOO-LARGE',
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
