/**
 * Reading a small request body as text straight off node:http, for the
 * routes answered ahead of express (Visdom's, the login), with a bound.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { CnnvisError } from '../errors';

/**
 * Hand `done` the body as text, or PAYLOAD_TOO_LARGE past `limit` bytes (the
 * rest is drained unread); `done` is called once. A callback, not a promise:
 * a line append is one small request, and the promise, its two reactions and
 * their microtasks were a measurable share of its cost.
 * @example onTextBody(req, 1024, (err, text) => (err ? fail(err) : answer(text)));
 */
export function onTextBody(req: IncomingMessage, limit: number, done: (err: Error | undefined, text: string) => void): void {
  // Most bodies arrive in one chunk: no array, no concat.
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  const settle = (err: Error | undefined, text: string) => {
    if (settled) return;
    settled = true;
    done(err, text);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      settle(new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message: `body: larger than the limit of ${limit} bytes` }), '');
      req.removeAllListeners('data');
      req.resume();
      return;
    }
    if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  req.on('end', () => {
    const body = more !== undefined ? Buffer.concat(more, size) : first;
    settle(undefined, body === undefined ? '' : body.toString('utf8'));
  });
  req.on('error', (err) => settle(err, ''));
}

/** The body as text, or PAYLOAD_TOO_LARGE past `limit` bytes (the rest is drained unread). */
export function readTextBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => onTextBody(req, limit, (err, text) => (err === undefined ? resolve(text) : reject(err))));
}
