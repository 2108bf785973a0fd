/**
 * Multipart bodies read as they arrive (busboy), for the routes that take a JSON `request` part and
 * `input` file parts (`POST /api/runs`, `/api/attributions` and `/api/dataset-stats`).
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { badField, CnnvisError } from '../errors';
import { payloadTooLarge } from './read-body';

/** Bytes of JSON the request part may hold. */
export const MAX_REQUEST_BYTES = 1 << 20;

export interface PartHandlers {
  /** The `request` part's text. */
  request(text: string): void | Promise<void>;
  /** The `index`th `input` part: read `stream` to its end (see {@link readPart}) or throw. */
  input(stream: Readable, index: number): Promise<void>;
}

export interface PartLimits {
  /** The most `input` parts. */
  maxInputs: number;
  /** The most bytes the whole body may hold, when the route bounds it (`--max-payload`). */
  maxBodyBytes?: number;
  /** After a fault, how many more bytes are read and dropped, so that the client can read the answer. */
  drainBytes: number;
}

const tooLarge = (message: string) => new CnnvisError({ code: 'PAYLOAD_TOO_LARGE', message });

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

/** A part's bytes; throws `tooBig()` past `limit`. */
export async function readPart(stream: Readable, limit: number, tooBig: () => CnnvisError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooBig();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * After an answer to a body still on its way (a fault in one part, a full server): read and drop
 * the rest, up to `limit` bytes, so that a client that reads only once it has sent everything
 * (python-requests) gets the answer.
 */
export function drainAfterAnswer(req: IncomingMessage, limit: number): void {
  if (req.complete) return;
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) req.socket.destroy();
  });
  req.resume();
}

/**
 * Hand the parts of `req` to `handlers`, in order; rejects with a 4xx CnnvisError naming the part
 * at the first fault (a handler's own, or the body's), the rest of the body then drained.
 */
export async function readParts(req: IncomingMessage, handlers: PartHandlers, limits: PartLimits): Promise<void> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fieldSize: MAX_REQUEST_BYTES, files: limits.maxInputs + 1 } });
  } catch {
    throw badField('(body)', 'must be multipart/form-data: a "request" part (JSON) first, then one "input" file part per input');
  }
  const requestTooLarge = () => tooLarge(`request: larger than the limit of ${MAX_REQUEST_BYTES} bytes`);
  const tooManyInputs = () => tooLarge(`inputs: more than the limit of ${limits.maxInputs}`);
  const notTaken = (name: string) => badField(name, 'is not a part this route takes: send "request", then "input" parts');
  let inputs = 0;
  const onFile = async (name: string, stream: Readable) => {
    if (name === 'request') return handlers.request((await readPart(stream, MAX_REQUEST_BYTES, requestTooLarge)).toString('utf8'));
    if (name !== 'input') throw notTaken(name);
    if (inputs >= limits.maxInputs) throw tooManyInputs();
    await handlers.input(stream, inputs++);
  };
  await new Promise<void>((resolve, reject) => {
    let chain = Promise.resolve();
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      drainAfterAnswer(req, limits.drainBytes);
      reject(err instanceof CnnvisError ? err : badField('(body)', `is not valid multipart/form-data (${(err as Error).message})`));
    };
    bb.on('field', (name, value, info) => {
      chain = chain.then(async () => {
        if (name === 'input') throw badField('input', 'must be a file part: send the input bytes as a multipart file part named "input"');
        if (name !== 'request') throw notTaken(name);
        if (info.valueTruncated) throw requestTooLarge();
        await handlers.request(value);
      });
      chain.catch(fail);
    });
    bb.on('file', (name, stream) => {
      chain = chain.then(() => onFile(name, stream));
      chain.catch((err: unknown) => {
        stream.resume();
        fail(err);
      });
    });
    bb.on('filesLimit', () => fail(tooManyInputs()));
    bb.on('error', fail);
    bb.on('close', () => void chain.then(resolve, fail));
    req.on('aborted', () => fail(badField('(body)', 'request aborted')));
    const max = limits.maxBodyBytes;
    if (max !== undefined) {
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) fail(payloadTooLarge(max));
      });
    }
    req.pipe(bb);
  });
}
