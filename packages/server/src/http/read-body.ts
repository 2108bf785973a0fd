/**
 * Reading a small request body as text straight off node:http, for the
 * routes answered ahead of express (Visdom's, the login), with a bound.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { CnnvisError } from '../errors';

/** The body as text, or PAYLOAD_TOO_LARGE past `limit` bytes (the rest is drained unread). */
export function readTextBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message: `body: larger than the limit of ${limit} bytes` }));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
