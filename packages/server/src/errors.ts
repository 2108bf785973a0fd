/**
 * The server's one error type. Everything thrown inside a handler ends up as
 * a CnnvisError, and is turned into an error envelope in exactly one place
 * per transport (the express error middleware and the socket ack wrapper).
 * @module
 */
import {
  describeIssues,
  HTTP_STATUS_BY_CODE,
  UpdateRejection,
  type ErrorBody,
  type ErrorCode,
  type Issue,
} from '@cnnvis/protocol';

export class CnnvisError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;

  constructor(opts: { code: ErrorCode; message: string; issues?: Issue[]; cause?: unknown }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'CnnvisError';
    this.code = opts.code;
    this.issues = opts.issues;
  }

  /** The HTTP status for this error's code. */
  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /** A BAD_REQUEST whose message names every failing field. */
  static badRequest(issues: Issue[]): CnnvisError {
    return new CnnvisError({ code: 'BAD_REQUEST', message: describeIssues(issues), issues });
  }

  static notFound(message: string): CnnvisError {
    return new CnnvisError({ code: 'NOT_FOUND', message });
  }
}

/** A BAD_REQUEST naming one field. */
export function badField(path: string, message: string): CnnvisError {
  return CnnvisError.badRequest([{ path, message }]);
}

/** Anything thrown, as a CnnvisError; unknown errors become INTERNAL with a generic message. */
export function toCnnvisError(err: unknown): CnnvisError {
  if (err instanceof CnnvisError) return err;
  if (err instanceof UpdateRejection) return new CnnvisError({ code: err.code, message: err.message });
  return new CnnvisError({ code: 'INTERNAL', message: 'internal server error', cause: err });
}

/** The wire body of an error: never internals, only code, message and issues. */
export function toErrorBody(err: CnnvisError): ErrorBody {
  const body: ErrorBody = { code: err.code, message: err.message };
  if (err.issues !== undefined) body.issues = err.issues;
  return body;
}
