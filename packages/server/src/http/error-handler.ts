/**
 * The one place HTTP errors become responses: `{ error: { code, message, issues? } }` with the
 * status from the protocol's table.
 * @module
 */
import type { ErrorRequestHandler } from 'express';
import { CnnvisError, toCnnvisError, toErrorBody } from '../errors';
import type { Logger } from '../logger';
import { payloadTooLarge } from './read-body';

function fromBodyParser(err: unknown, limit: number): CnnvisError | undefined {
  if (typeof err !== 'object' || err === null || err instanceof CnnvisError) return undefined;
  if (!('type' in err)) return fromClientError(err);
  switch ((err as { type: unknown }).type) {
    case 'entity.too.large':
      return payloadTooLarge(limit);
    case 'entity.parse.failed':
      return new CnnvisError({ code: 'BAD_REQUEST', message: 'body: is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new CnnvisError({ code: 'BAD_REQUEST', message: 'body: unsupported encoding or charset' });
    case 'request.aborted':
      return new CnnvisError({ code: 'BAD_REQUEST', message: 'body: request aborted' });
    default:
      return fromClientError(err);
  }
}

/**
 * Other errors express and its parsers mark as the client's fault (an
 * http-errors 4xx: a path segment that is not valid percent-encoding, a body
 * whose gzip/deflate/br stream is corrupt) are BAD_REQUEST, not INTERNAL.
 */
function fromClientError(err: object): CnnvisError | undefined {
  const status = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (err instanceof URIError) return new CnnvisError({ code: 'BAD_REQUEST', message: 'path: a segment is not valid percent-encoding' });
  const detail = (err as { message?: unknown }).message;
  const why = typeof detail === 'string' && detail !== '' && detail !== 'Bad Request' ? ` (${detail})` : '';
  return new CnnvisError({ code: 'BAD_REQUEST', message: `body: cannot be read${why}` });
}

export function createErrorHandler(logger: Logger, limit: number): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const error = fromBodyParser(err, limit) ?? toCnnvisError(err);
    if (error.code === 'INTERNAL') logger.error('HTTP handler failed', err);
    if (res.headersSent) return;
    res.status(error.status).json({ error: toErrorBody(error) });
  };
}
