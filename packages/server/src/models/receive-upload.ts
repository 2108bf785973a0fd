/**
 * Streaming a request body to a file while hashing it, so a model of any size costs one chunk of
 * memory, never the whole body, and its SHA-256 is known the moment the last byte is on disk.
 * @module
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { CnnvisError } from '../errors';

export interface ReceivedUpload {
  path: string;
  bytes: number;
  /** Lowercase hex. */
  sha256: string;
}

/** The error for a body over `limit` bytes. */
export function tooLarge(limit: number, what = 'the model'): CnnvisError {
  return new CnnvisError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `${what} is larger than the server's limit of ${limit} bytes (see --max-model-size)`,
  });
}

/**
 * Write `req`'s body to `path` (which must not exist), hashing it on the way. Rejects with
 * PAYLOAD_TOO_LARGE as soon as more than `limit` bytes arrive, and with BAD_REQUEST when the client
 * goes away; the file is removed then.
 */
export function receiveUpload(req: IncomingMessage, path: string, limit: number): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const file = createWriteStream(path, { flags: 'wx' });
    let bytes = 0;
    let settled = false;
    const fail = (err: CnnvisError) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      file.destroy();
      void rm(path, { force: true }).finally(() => reject(err));
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.byteLength;
      if (bytes > limit) return fail(tooLarge(limit));
      hash.update(chunk);
      // Backpressure: a disk slower than the network must not pile the body up in memory.
      if (!file.write(chunk)) {
        req.pause();
        file.once('drain', () => req.resume());
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (settled) return;
      file.end(() => {
        if (settled) return;
        settled = true;
        resolve({ path, bytes, sha256: hash.digest('hex') });
      });
    });
    req.once('close', () => {
      if (!req.complete) fail(new CnnvisError({ code: 'BAD_REQUEST', message: 'body: the upload was cut off before its end' }));
    });
    file.once('error', (err) => {
      fail(new CnnvisError({ code: 'UNAVAILABLE', message: `the server cannot store the model (${(err as NodeJS.ErrnoException).code ?? err.message})` }));
    });
  });
}
