/**
 * Getting a model onto the server once: the SDK hashes it (SHA-256, streaming a file), asks the
 * server whether it has it (HEAD) and uploads it (a streamed PUT) only when it does not.
 * @module
 */
import { MAX_MODEL_BYTES_HEADER, ModelIdSchema } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import { apiUrl, httpError, httpRequest } from './http-api';
import type { AnalysisProgress } from './options';

/** A model: a file path, its bytes, or the id (SHA-256 hex) of one already uploaded. */
export type ModelSource = string | Uint8Array;

interface Described {
  modelId: string;
  size: number;
  /** The body to upload; undefined when only the id is known. */
  open?: () => Promise<Uint8Array | import('node:stream').Readable>;
}

// Node's modules are imported when first needed, so the SDK loads without them.
async function hashFile(path: string): Promise<{ modelId: string; size: number }> {
  const { createReadStream } = await import('node:fs');
  const hash = (await import('node:crypto')).createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { modelId: hash.digest('hex'), size };
}

export class ModelUploader {
  /** Hashes of files already read, keyed by path, size and mtime: a model used in a loop is hashed once. */
  private readonly hashes = new Map<string, Promise<{ modelId: string; size: number }>>();
  /** Ids the server had or took: not asked again until {@link forget} (a request found the model gone). */
  private readonly stored = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /**
   * The model's id, uploading it first when the server lacks it. When it did not ask the server
   * (`asked` false), a request that finds the model gone should {@link forget} it and retry.
   * @example
   * const { modelId } = await uploader.ensure('resnet18.onnx', (p) => console.log(p.fraction));
   */
  async ensure(model: ModelSource, onProgress?: (p: AnalysisProgress) => void): Promise<{ modelId: string; asked: boolean }> {
    const described = await this.describe(model);
    const { modelId } = described;
    // A HEAD costs a round trip per call; the caller forgets the id when a request finds it gone.
    if (this.stored.has(modelId)) return { modelId, asked: false };
    const url = apiUrl(this.baseUrl, `/api/models/${modelId}`);
    const head = await httpRequest(url, { method: 'HEAD', token: this.token });
    if (head.status === 200) {
      this.stored.add(modelId);
      return { modelId, asked: true };
    }
    if (head.status !== 404) throw httpError(head, 'model check');
    if (described.open === undefined) {
      throw new CnnvisClientError({
        code: 'NOT_FOUND',
        message: `model: ${modelId} is not on the server at ${this.baseUrl}; pass the model's file path or bytes to upload it`,
      });
    }
    const limit = Number(head.headers[MAX_MODEL_BYTES_HEADER] ?? NaN);
    if (described.size > limit) {
      throw new CnnvisClientError({
        code: 'PAYLOAD_TOO_LARGE',
        message: `model: ${described.size} bytes, over the server's limit of ${limit} (its --max-model-size)`,
      });
    }
    await this.upload(url, described, onProgress);
    this.stored.add(modelId);
    return { modelId, asked: true };
  }

  /** The server may have lost `modelId` (a new data dir): the next {@link ensure} asks again. */
  forget(modelId: string): void {
    this.stored.delete(modelId);
  }

  private async upload(url: URL, model: Described, onProgress?: (p: AnalysisProgress) => void) {
    const body = await (model.open as NonNullable<Described['open']>)();
    let reported = -1;
    const res = await httpRequest(url, {
      method: 'PUT',
      token: this.token,
      headers: { 'content-type': 'application/octet-stream', 'content-length': model.size },
      body,
      onSent: (sent) => {
        // At most one report per percent: a 2 GB model must not call back 30,000 times.
        const pct = model.size === 0 ? 100 : Math.floor((sent / model.size) * 100);
        if (pct > reported) {
          reported = pct;
          onProgress?.({ stage: 'upload', fraction: pct / 100 });
        }
      },
    });
    if (res.status !== 200 && res.status !== 201) throw httpError(res, 'model upload');
  }

  private async describe(model: ModelSource): Promise<Described> {
    if (model instanceof Uint8Array) {
      const { createHash } = await import('node:crypto');
      const modelId = createHash('sha256').update(model).digest('hex');
      return { modelId, size: model.byteLength, open: () => Promise.resolve(model) };
    }
    if (typeof model !== 'string' || model === '') {
      throw CnnvisClientError.badRequest([{ path: 'model', message: 'must be a file path, the model bytes or a model id' }]);
    }
    const fs = await import('node:fs');
    // Missing or unreadable (a bad path, no permission): not a file we can upload.
    const info = await fs.promises.stat(model).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      if (ModelIdSchema.safeParse(model).success) return { modelId: model, size: 0 };
      throw CnnvisClientError.badRequest([{ path: 'model', message: `no such file: ${model}` }]);
    }
    const key = `${model}\0${info.size}\0${info.mtimeMs}`;
    let hashing = this.hashes.get(key);
    if (hashing === undefined) {
      hashing = hashFile(model);
      this.hashes.set(key, hashing);
      hashing.catch(() => this.hashes.delete(key));
    }
    const { modelId, size } = await hashing;
    return { modelId, size, open: () => Promise.resolve(fs.createReadStream(model, { highWaterMark: 1 << 20 })) };
  }
}
