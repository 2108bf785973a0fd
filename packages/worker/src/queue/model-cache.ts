/**
 * A remote worker's models: fetched from the server by SHA-256 the first time a job names one,
 * checked against that hash, and kept as `<id>.onnx` files.
 * @module
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { WorkerError } from '../worker-error';
import { serverRequest, type ServerLink } from './server-link';

/** Models by id in `dir`; `pathOf` fetches one this worker has not got. */
export function createModelCache(server: ServerLink, dir: string) {
  mkdirSync(dir, { recursive: true });
  /** Fetches in flight, so two jobs on one new model fetch it once. */
  const fetching = new Map<string, Promise<string>>();
  async function fetchModel(id: string, path: string): Promise<string> {
    const res = await serverRequest(server, `/api/models/${id}/file`);
    if (res.body === null) throw new WorkerError('INTERNAL', `the server sent no bytes for model ${id}`);
    const temp = `${path}.${process.pid}.part`;
    const hash = createHash('sha256');
    try {
      await pipeline(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      }, createWriteStream(temp));
      const got = hash.digest('hex');
      if (got !== id) throw new WorkerError('INTERNAL', `model ${id} arrived with SHA-256 ${got}: refusing it`);
      renameSync(temp, path);
      return path;
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return {
    pathOf(id: string): Promise<string> {
      if (!/^[0-9a-f]{64}$/.test(id)) return Promise.reject(new WorkerError('INTERNAL', `'${id}' is no SHA-256 model id`));
      const path = join(dir, `${id}.onnx`);
      if (existsSync(path)) return Promise.resolve(path);
      let pending = fetching.get(id);
      if (pending === undefined) {
        pending = fetchModel(id, path).finally(() => fetching.delete(id));
        fetching.set(id, pending);
      }
      return pending;
    },
  };
}
