/**
 * `datasetStats`: per-channel statistics over many inputs, run a batch at a time through the
 * model with per-plane statistics appended (plane-stats-graph.ts) and folded into running totals.
 * @module
 */
import * as ort from 'onnxruntime-node';
import { loadedModel } from '../analyze/analyze-model';
import { inputTensor, singleInput } from '../analyze/input-tensor';
import { layerFilter } from '../analyze/layer-filter';
import { readPlacement } from '../runtime/open-session';
import { runError } from '../runtime/ort-errors';
import { defaultOpset, planeStatsGraph, type PlaneStatsOutputs } from '../onnx/plane-stats-graph';
import type { LoadedModel } from '../runtime/loaded-model';
import type { RuntimeSession } from '../runtime/open-session';
import { ORT_FLOAT_TYPES } from '../stats/float-view';
import { ModelError, WorkerError } from '../worker-error';
import { accumulate, createTotals, finishTotals, readPlaneStats, type ChannelTotals } from './channel-totals';
import { clampBounds } from './clamp-bounds';
import { createTopThumbnails } from './top-thumbnails';
import type { DatasetJob, DatasetOutput, DatasetProgress } from './dataset-types';
import { inputReader } from './spooled-inputs';

/** Inputs per pass where the batch dimension is dynamic and the job names none. */
export const DEFAULT_DATASET_BATCH = 16;
export const DEFAULT_TOP_K = 5;

/**
 * Runs one dataset-statistics job. Throws WorkerError/ModelError with a clear message.
 * @example
 * const out = await datasetStats({ modelPath, modelId, inputs, provider: 'cpu' });
 */
export async function datasetStats(job: DatasetJob, onProgress?: (p: DatasetProgress) => void): Promise<DatasetOutput> {
  onProgress?.({ stage: 'load', fraction: 0 });
  const { model: m, loaded } = await loadedModel(job.modelPath, job.modelId);
  onProgress?.({ stage: 'session', fraction: 0.05 });
  if (defaultOpset(m.model) < 9) throw new ModelError('UNSUPPORTED', `dataset statistics need a model of opset 9 or later; this one is opset ${defaultOpset(m.model)}`);
  const { rs, part, created } = await m.derivedSession(job.provider, 'plane-stats', (analysis) => planeStatsGraph(statsTensors(m, analysis), defaultOpset(m.model)));
  const planeOutputs = part.outputs;
  const sessionMs = (loaded ? m.loadMs : 0) + (created ? rs.createMs : 0);
  const declared = singleInput(m.graph.inputs);
  const keep = layerFilter(job.layers);
  const layers = m.graph.nodes.filter((n) => !n.folded && keep(n) && n.outputs[0] !== undefined && planeOutputs.has(n.outputs[0]));
  if (layers.length === 0) throw new WorkerError('BAD_INPUT', `no layer with a float output of rank 2 or more matches the filter [${(job.layers ?? []).join(', ')}]`);
  const outputs = layers.map((n) => planeOutputs.get(n.outputs[0] as string) as PlaneStatsOutputs);
  const fetches = outputs.flatMap((o) => Object.values(o) as string[]);
  const reader = inputReader(job.inputs);
  if (reader.count === 0) throw new WorkerError('BAD_INPUT', 'no inputs: give at least one');
  const batchDim = declared.shape?.[0];
  const dynamic = !(typeof batchDim === 'number' && batchDim > 0);
  const batch = dynamic ? Math.max(1, Math.min(job.batch ?? DEFAULT_DATASET_BATCH, reader.count)) : 1;
  const k = job.topK ?? DEFAULT_TOP_K;
  const total = reader.count;
  onProgress?.({ stage: 'run', fraction: 0.1, passes: { done: 0, total } });

  const thumbnails = createTopThumbnails();
  let totals: ChannelTotals[] | undefined;
  let itemShape: number[] | undefined;
  let runMs = 0;
  let statsMs = 0;
  let runs = 0;
  for (let start = 0; start < total; start += batch) {
    const n = Math.min(batch, total - start);
    const items = (await reader.read(start, n)).map((input, j) => {
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
    const shapes = outputs.map((o) => Array.from(out[o.shape]?.data as BigInt64Array, Number));
    totals ??= layers.map((node, i) => createTotals({ node: node.id, op: node.op, tensor: node.outputs[0] as string }, shapes[i]?.slice(1) ?? [], k, clampBounds(m, node)));
    totals.forEach((t, i) => {
      const o = outputs[i] as PlaneStatsOutputs;
      const planes = readPlaneStats(o, (name) => out[name]?.data as Float32Array);
      if (shapes[i]?.[0] === n && shapes[i]?.slice(1).join() === t.shape.join()) accumulate(t, planes, n, start);
    });
    for (const t of Object.values(out)) t.dispose();
    thumbnails.update(totals.map((t) => t.topIndex), start, items, itemShape ?? []);
    statsMs += performance.now() - t1;
    onProgress?.({ stage: 'run', fraction: 0.1 + (0.9 * (start + n)) / total, passes: { done: start + n, total } });
  }
  return {
    inputs: total, batch, runs, topK: k,
    // Outputs without a batch axis (whose first dim is not the batch's) are left out: they say nothing per input.
    layers: (totals ?? []).filter((t) => t.inputs === total).map((t) => ({ ...finishTotals(t), topMean: t.topMean })),
    thumbnails: thumbnails.finish(),
    provider: readPlacement(rs).provider,
    timings: { sessionMs, runMs, statsMs },
  };
}

/** The layers' float outputs of rank 2 or more (ONNX Runtime's inferred shapes), each with its clamp bounds. */
function statsTensors(m: LoadedModel, analysis: RuntimeSession) {
  const meta = new Map(analysis.session.outputMetadata.map((o) => [o.name, o]));
  return m.graph.nodes.flatMap((node) => {
    const name = node.outputs[0];
    const o = name === undefined || node.folded ? undefined : meta.get(name);
    if (!o?.isTensor || !ORT_FLOAT_TYPES.has(o.type) || o.shape.length < 2 || name === undefined) return [];
    const bounds = clampBounds(m, node);
    return [{ name, float32: o.type === 'float32', ...(bounds ? { bounds } : {}) }];
  });
}
