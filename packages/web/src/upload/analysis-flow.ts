/**
 * The no-code analysis: upload the model unless the server has its hash, then ask for a run over
 * the socket; progress shows as a job and the graph arrives like any window.
 * @module
 */
import type { ErrorBody, FeatureMapsResult, Preprocess } from '@cnnvis/protocol';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ClientRequestError, type CnnvisClient } from '../client/types';
import type { JobTracker } from '../state/job-tracker';
import type { DroppedPair } from './drop-zone';

/**
 * A model's id: the SHA-256 of its bytes, so the server can say whether it has the model before anything is uploaded.
 * @example const id = await computeModelId(new Uint8Array(await file.arrayBuffer()));
 */
export async function computeModelId(bytes: Uint8Array): Promise<string> {
  // Web Crypto exists only in secure contexts (https, localhost): a page on http://10.x hashes with @noble/hashes.
  const subtle = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  const digest = subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)) : sha256(bytes);
  return bytesToHex(digest);
}

/** The server names its upload limit in this header (on HEAD and PUT). */
const MAX_BYTES_HEADER = 'cnnvis-max-model-bytes';

export interface UploadOptions {
  toUrl(path: string): string;
  /** Fraction of the bytes sent, 0…1. */
  onProgress?(fraction: number): void;
}

/**
 * Upload `file` as model `modelId` unless the server has it (`HEAD` says), streaming it with
 * `PUT`; resolves with whether bytes were sent. XHR rather than fetch: only XHR reports upload progress.
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

export interface AnalysisFlowOptions {
  client: () => CnnvisClient | undefined;
  jobs: JobTracker;
  toUrl(path: string): string;
  /** The env the page shows: the run's windows go there. */
  env(): string;
}

/**
 * @param preprocess the image's normalisation (a preset of the Analyse dialog)
 * @example const result = await runDroppedAnalysis(pair, { client: () => client, jobs, toUrl, env }, { mean: [0.5], std: [0.5] });
 */
export async function runDroppedAnalysis(pair: DroppedPair, o: AnalysisFlowOptions, preprocess?: Preprocess): Promise<FeatureMapsResult> {
  const client = o.client();
  if (client === undefined) throw new Error('not connected to the server yet');
  const jobId = `ui_${Math.random().toString(36).slice(2, 10)}`;
  // The upload is its own bar; the run's bar is driven by the server's pushes for `jobId`.
  const uploadId = `${jobId}:upload`;
  let modelId = '0'.repeat(64);
  const upload = (stage: string, fraction: number) => o.jobs.update({ jobId: uploadId, modelId, stage, fraction });
  try {
    upload(`hashing ${pair.model.name}`, 0);
    modelId = await computeModelId(new Uint8Array(await pair.model.arrayBuffer()));
    upload(`uploading ${pair.model.name}`, 0);
    await ensureModel(pair.model, modelId, { toUrl: o.toUrl, onProgress: (f) => upload(`uploading ${pair.model.name}`, f) });
    o.jobs.finish(uploadId);
    o.jobs.update({ jobId, modelId, stage: 'queued', fraction: 0 });
    const data = new Uint8Array(await pair.image.arrayBuffer());
    return await client.runAnalysis({ env: o.env(), modelId, jobId, input: { encoding: pair.encoding, data }, ...(preprocess ? { preprocess } : {}) });
  } finally {
    o.jobs.finish(uploadId);
    o.jobs.finish(jobId);
  }
}
