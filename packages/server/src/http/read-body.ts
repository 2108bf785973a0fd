/**
 * Reading a small request body as text (the Visdom routes, the login), with a
 * bound that holds before a byte is read when the client declares the length.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { sendDenied } from '../access/deny-response';
import { badField, CnnvisError } from '../errors';
import { closeAfterAnswer } from './close-after-answer';

export function payloadTooLarge(limit: number, declared?: number): CnnvisError {
  const size = declared === undefined ? 'larger than' : `${declared} bytes, over`;
  return new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message: `body: ${size} the limit of ${limit} bytes (see --max-payload)` });
}

/** The declared body length when it is over `limit`, else undefined. */
export function declaredOver(req: IncomingMessage, limit: number): number | undefined {
  const declared = Number(req.headers['content-length']);
  return declared > limit ? declared : undefined;
}

/**
 * `--max-payload` at the head of a request: a body declared larger than the limit is answered 413
 * at once and never read, rather than read (or drained) in full first.
 */
export function refuseDeclaredOver(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = declaredOver(req, limit);
    if (declared === undefined) return next();
    closeAfterAnswer(req, res);
    sendDenied(req, res, payloadTooLarge(limit, declared));
  };
}

/**
 * Hand `done` the body as text, or an error: PAYLOAD_TOO_LARGE past `limit` bytes (the body is then
 * left unread, or the rest dropped as it comes), or BAD_REQUEST when the client goes away mid-body.
 * `done` is called once.
 */
export function onTextBody(req: IncomingMessage, limit: number, done: (err: CnnvisError | undefined, text: string) => void): void {
  const declared = declaredOver(req, limit);
  if (declared !== undefined) return done(payloadTooLarge(limit, declared), '');
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (err: CnnvisError | undefined, text: string) => {
    if (settled) return;
    settled = true;
    done(err, text);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      settle(payloadTooLarge(limit), '');
      req.removeAllListeners('data');
      chunks.length = 0;
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => settle(undefined, Buffer.concat(chunks, size).toString('utf8')));
  // A client that goes away mid-body is not the server's failure.
  req.on('error', () => settle(new CnnvisError({ code: 'BAD_REQUEST', message: 'body: the request was cut off before its end' }), ''));
}

/** `text` as JSON; BAD_REQUEST naming `path` when it is not. */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badField(path, 'is not valid JSON');
  }
}

/** The body as text, or PAYLOAD_TOO_LARGE past `limit` bytes. */
export function readTextBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => onTextBody(req, limit, (err, text) => (err === undefined ? resolve(text) : reject(err))));
}
