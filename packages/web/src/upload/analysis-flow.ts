/**
 * The no-code analysis: hash the dropped model, upload it unless the server
 * has it, then ask for a run over the page's socket with the image as it is
 * (the server decodes and preprocesses it). Progress shows as a job; the
 * graph pane arrives like any other window.
 * @module
 */
import type { FeatureMapsResult, Preprocess } from '@cnnvis/protocol';
import { ensureModel } from '../client/model-upload';
import type { CnnvisClient } from '../client/types';
import type { JobTracker } from '../state/job-tracker';
import type { DroppedPair } from './drop-zone';
import { computeModelId } from './model-id';

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
