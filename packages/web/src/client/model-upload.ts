/**
 * Putting a model on the server: `HEAD` says whether it is there already (the
 * id is its SHA-256), and `PUT` streams the bytes otherwise. XHR rather than
 * fetch, because only XHR reports upload progress.
 * @module
 */
import type { ErrorBody } from '@cnnvis/protocol';
import { ClientRequestError } from './types';

/** The server names its upload limit in this header (on HEAD and PUT). */
const MAX_BYTES_HEADER = 'cnnvis-max-model-bytes';

export interface UploadOptions {
  toUrl(path: string): string;
  /** Fraction of the bytes sent, 0…1. */
  onProgress?(fraction: number): void;
}

/**
 * Upload `file` as model `modelId` unless the server has it; resolves with
 * whether bytes were sent.
 * @example await ensureModel(file, await computeModelId(bytes), { toUrl, onProgress: bar.set });
 */
export async function ensureModel(file: Blob, modelId: string, opts: UploadOptions): Promise<{ uploaded: boolean }> {
  const url = opts.toUrl(`/api/models/${modelId}`);
  const head = await fetch(url, { method: 'HEAD' });
  if (head.ok) return { uploaded: false };
  if (head.status !== 404) throw new ClientRequestError('INTERNAL', `${url}: HTTP ${head.status}`);
  const limit = Number(head.headers.get(MAX_BYTES_HEADER));
  if (limit > 0 && file.size > limit) {
    throw new ClientRequestError('PAYLOAD_TOO_LARGE', `the model is ${mb(file.size)}; this server takes at most ${mb(limit)} (--max-model-size)`);
  }
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && opts.onProgress?.(e.loaded / e.total);
    xhr.onerror = () => reject(new ClientRequestError('UNAVAILABLE', 'the upload failed: the server did not answer'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let error: ErrorBody | undefined;
      try {
        error = (JSON.parse(xhr.responseText) as { error?: ErrorBody }).error;
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      reject(new ClientRequestError(error?.code ?? 'INTERNAL', error?.message ?? `upload: HTTP ${xhr.status}`));
    };
    xhr.send(file);
  });
  return { uploaded: true };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
