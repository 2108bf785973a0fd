/**
 * The one place HTTP errors become responses: `{ error: { code, message, issues? } }`
 * with the status from the protocol's table. Body-parser failures are mapped too,
 * so an oversized body is a 413 and broken JSON a 400, never a stack trace.
 * @module
 */
import type { ErrorRequestHandler } from 'express';
import { CnnvisError, toCnnvisError, toErrorBody } from '../errors';
import type { Logger } from '../logger';

function fromBodyParser(err: unknown, limit: number): CnnvisError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch ((err as { type: unknown }).type) {
    case 'entity.too.large':
      return new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message: `body: larger than the limit of ${limit} bytes` });
    case 'entity.parse.failed':
      return new CnnvisError({ code: 'BAD_REQUEST', message: 'body: is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new CnnvisError({ code: 'BAD_REQUEST', message: 'body: unsupported encoding or charset' });
    case 'request.aborted':
      return new CnnvisError({ code: 'BAD_REQUEST', message: 'body: request aborted' });
    default:
      return undefined;
  }
}

export function createErrorHandler(logger: Logger, limit: number): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const error = fromBodyParser(err, limit) ?? toCnnvisError(err);
    if (error.code === 'INTERNAL') logger.error('HTTP handler failed', err);
    if (res.headersSent) return;
    res.status(error.status).json({ error: toErrorBody(error) });
  };
}
