/**
 * `datasetStats`: per-layer, per-channel statistics over many inputs, in the
 * current process. Inputs are decoded and run a batch at a time and every
 * batch's outputs are folded into running totals (channel-totals.ts) and
 * dropped, so memory holds one batch whatever the number of inputs.
 * @module
 */
import * as ort from 'onnxruntime-node';
import { loadedModel } from '../analyze/analyze-model';
import { inputTensor, singleInput } from '../analyze/input-tensor';
import { layerFilter } from '../analyze/layer-filter';
import { readPlacement } from '../runtime/open-session';
import { runError } from '../runtime/ort-errors';
import { ORT_FLOAT_TYPES } from '../stats/float-view';
import { simdKernels } from '../stats/simd-kernels';
import { WorkerError } from '../worker-error';
import { accumulate, createTotals, finishTotals, type ChannelTotals } from './channel-totals';
import { clampBounds } from './clamp-bounds';
import type { DatasetJob, DatasetOutput, DatasetProgress } from './dataset-types';

/** Inputs per pass where the batch dimension is dynamic and the job names none. */
export const DEFAULT_DATASET_BATCH = 16;
export const DEFAULT_TOP_K = 5;

/**
 * @example
 * const out = await datasetStats({ modelPath, modelId, inputs, provider: 'cpu' });
 * out.layers.map((l) => [l.node, l.dead]);
 */
export async function datasetStats(job: DatasetJob, onProgress?: (p: DatasetProgress) => void): Promise<DatasetOutput> {
  onProgress?.({ stage: 'load', fraction: 0 });
  const { model: m, loaded } = await loadedModel(job.modelPath, job.modelId);
  onProgress?.({ stage: 'session', fraction: 0.05 });
  const { rs, created } = await m.session(job.provider);
  const sessionMs = (loaded ? m.loadMs : 0) + (created ? rs.createMs : 0);
  const declared = singleInput(m.graph.inputs);
  const keep = layerFilter(job.layers);
  const floats = new Set(rs.session.outputMetadata.filter((o) => o.isTensor && ORT_FLOAT_TYPES.has(o.type)).map((o) => o.name));
  const layers = m.graph.nodes.filter((n) => !n.folded && keep(n) && n.outputs[0] !== undefined && floats.has(n.outputs[0]));
  if (layers.length === 0) throw new WorkerError('BAD_INPUT', `no layer with a float output matches the filter [${(job.layers ?? []).join(', ')}]`);
  const fetches = layers.map((n) => n.outputs[0] as string);
  if (job.inputs.length === 0) throw new WorkerError('BAD_INPUT', 'no inputs: give at least one');
  const batchDim = declared.shape?.[0];
  const dynamic = !(typeof batchDim === 'number' && batchDim > 0);
  const batch = dynamic ? Math.max(1, Math.min(job.batch ?? DEFAULT_DATASET_BATCH, job.inputs.length)) : 1;
  const k = job.topK ?? DEFAULT_TOP_K;
  const total = job.inputs.length;
  onProgress?.({ stage: 'run', fraction: 0.1, passes: { done: 0, total } });

  const kernels = simdKernels();
  let totals: ChannelTotals[] | undefined;
  let itemShape: number[] | undefined;
  let runMs = 0;
  let statsMs = 0;
  let runs = 0;
  for (let start = 0; start < total; start += batch) {
    const n = Math.min(batch, total - start);
    const items = job.inputs.slice(start, start + n).map((input, j) => {
      const t = inputTensor(declared, input, job.preprocess);
      if (t.shape[0] !== 1) throw new WorkerError('BAD_INPUT', `input ${start + j} has batch ${t.shape[0]}; give each input with batch 1`);
      itemShape ??= t.shape.slice(1);
      if (t.shape.slice(1).join() !== itemShape.join()) throw new WorkerError('BAD_INPUT', `input ${start + j} has shape [${t.shape.join(', ')}], input 0 [1, ${itemShape.join(', ')}]: every input needs the same shape`);
      return t.data;
    });
    const size = items[0]?.length ?? 0;
    const data = new Float32Array(n * size);
    items.forEach((d, j) => data.set(d, j * size));
    const t0 = performance.now();
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await rs.session.run({ [declared.name]: new ort.Tensor('float32', data, [n, ...(itemShape ?? [])]) }, fetches);
    } catch (err) {
      throw runError(err);
    }
    runs++;
    const t1 = performance.now();
    runMs += t1 - t0;
    totals ??= layers.map((node, i) => {
      const dims = (out[fetches[i] as string] as ort.Tensor).dims.map(Number);
      return createTotals({ node: node.id, op: node.op, tensor: fetches[i] as string }, dims.slice(1), k, clampBounds(m, node));
    });
    totals.forEach((t, i) => {
      const tensor = out[fetches[i] as string] as ort.Tensor;
      if (tensor.type === 'float32' && Number(tensor.dims[0]) === n) accumulate(t, tensor.data as Float32Array, n, start, kernels);
      tensor.dispose();
    });
    statsMs += performance.now() - t1;
    onProgress?.({ stage: 'run', fraction: 0.1 + (0.9 * (start + n)) / total, passes: { done: start + n, total } });
  }
  return {
    inputs: total, batch, runs, topK: k,
    // Outputs without a batch axis (float32 of another length) are left out: they say nothing per input.
    layers: (totals ?? []).filter((t) => t.inputs === total).map(finishTotals),
    provider: readPlacement(rs).provider,
    timings: { sessionMs, runMs, statsMs },
  };
}
