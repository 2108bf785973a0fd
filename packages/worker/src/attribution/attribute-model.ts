/**
 * `attributeModel`: one attribution job in the current process. The input runs once unchanged
 * (its score, top class, and Score-CAM's maps), then the perturbed copies run in passes.
 * @module
 */
import * as ort from 'onnxruntime-node';
import { occlusionPlan } from '@cnnvis/protocol';
import { inputTensor, singleInput } from '../analyze/input-tensor';
import { inputThumbnail } from '../analyze/input-thumbnail';
import { loadedModel } from '../analyze/analyze-model';
import type { LoadedModel } from '../runtime/loaded-model';
import { readPlacement } from '../runtime/open-session';
import { runError } from '../runtime/ort-errors';
import { WorkerError } from '../worker-error';
import type { AttributionJob, AttributionOutput, AttributionProgress } from './attribution-types';
import { scorePasses } from './forward-passes';
import { occlude, occlusionMap, occlusionPatches } from './occlusion';
import { applyMask, camMap, channelMask, softmax } from './score-cam';

/** Inputs per pass where the batch dimension is dynamic and the job names none. */
export const DEFAULT_ATTRIBUTION_BATCH = 16;
/** Passes a job may plan when it names no limit. */
export const DEFAULT_MAX_PASSES = 4096;

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > (a[best] as number) ? i : best), 0);

/** Ops a conv's map passes through unchanged in shape on its way to a block's output. */
const BLOCK_OPS = new Set(['Relu', 'Clip', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'BatchNormalization', 'Add', 'Mul']);

/** A conv's output followed past the block ops that alone read it: the map after its activation (and a residual add). */
function blockOutput(m: LoadedModel, tensor: string): string {
  for (let t = tensor; ; ) {
    const readers = m.graph.nodes.filter((n) => n.inputs.includes(t));
    const next = readers.length === 1 && BLOCK_OPS.has(readers[0]?.op ?? '') ? readers[0]?.outputs[0] : undefined;
    if (next === undefined) return t;
    t = next;
  }
}

/** The tensors Score-CAM may weigh: the `layer` matches (node id or tensor, or part of one), else every conv's block output. */
function camCandidates(m: LoadedModel, session: ort.InferenceSession, layer: string | undefined): string[] {
  const fetchable = new Set(session.outputNames);
  // A name that is a node's id or tensor exactly means that one, though it is part of others' names too.
  const exact = layer === undefined ? [] : m.graph.nodes.filter((n) => n.id === layer || n.outputs.includes(layer));
  const nodes = exact.length > 0 ? exact : m.graph.nodes.filter((n) => (layer === undefined ? n.op === 'Conv' : n.id.includes(layer) || n.outputs.some((t) => t.includes(layer))));
  const outputs = nodes.map((n) => n.outputs[0]).filter((t): t is string => t !== undefined);
  const tensors = [...new Set(layer === undefined ? outputs.map((t) => blockOutput(m, t)) : outputs)].filter((t) => fetchable.has(t));
  if (tensors.length === 0) {
    throw new WorkerError('BAD_INPUT', layer === undefined ? 'Score-CAM needs a Conv layer and the model has none with a float output' : `no layer matches '${layer}' (give a node id or tensor name, or part of one)`);
  }
  return tensors;
}

/**
 * Runs one attribution job. Throws WorkerError/ModelError with a clear message.
 * @example
 * const out = await attributeModel({ modelPath, modelId, input, method: 'occlusion', provider });
 */
export async function attributeModel(job: AttributionJob, onProgress?: (p: AttributionProgress) => void): Promise<AttributionOutput> {
  const progress = (stage: AttributionProgress['stage'], fraction: number, passes?: AttributionProgress['passes']) =>
    onProgress?.({ stage, fraction, ...(passes === undefined ? {} : { passes }) });
  progress('load', 0);
  const { model: m, loaded } = await loadedModel(job.modelPath, job.modelId);
  progress('session', 0.1);
  const { rs, created } = await m.session(job.provider);
  const sessionMs = (loaded ? m.loadMs : 0) + (created ? rs.createMs : 0);
  const declared = singleInput(m.graph.inputs);
  const feed = inputTensor(declared, job.input, job.preprocess);
  const [n, c = 0, h = 0, w = 0] = feed.shape;
  if (feed.shape.length !== 4 || n !== 1) {
    throw new WorkerError('BAD_INPUT', `attribution needs one NCHW input of batch 1; got shape [${feed.shape.join(', ')}]`);
  }
  const output = m.graph.outputs[0]?.name;
  if (output === undefined || !rs.session.outputNames.includes(output)) throw new WorkerError('BAD_INPUT', 'the model has no float output to explain');
  const batchDim = declared.shape?.[0];
  const dynamic = !(typeof batchDim === 'number' && batchDim > 0);
  progress('input', 0.2);

  const runStart = performance.now();
  const camTensors = job.method === 'score-cam' ? camCandidates(m, rs.session, job.layer) : [];
  let base: ort.InferenceSession.ReturnType;
  try {
    base = await rs.session.run({ [declared.name]: new ort.Tensor('float32', feed.data, feed.shape) }, [output, ...camTensors]);
  } catch (err) {
    throw runError(err);
  }
  const logits = (base[output] as ort.Tensor).data as Float32Array;
  const target = job.target ?? argmax(logits);
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    throw new WorkerError('BAD_INPUT', `target ${target} is out of range: the output '${output}' has ${logits.length} values`);
  }
  const score = logits[target] as number;

  const item = [c, h, w];
  const src = feed.data;
  let plan: { count: number; make(i: number, dst: Float32Array): void; finish(scores: Float32Array): Partial<AttributionOutput> & Pick<AttributionOutput, 'heatmap'> };
  if (job.method === 'occlusion') {
    const occ = occlusionPlan(h, w, job.patch, job.stride);
    const { patch, stride } = occ;
    const fill = job.fill ?? 0;
    const patches = occlusionPatches(occ);
    plan = {
      count: patches.length,
      make: (i, dst) => occlude(dst, src, item, patches[i] as (typeof patches)[number], patch, fill),
      finish: (scores) => ({ heatmap: occlusionMap(h, w, patches, patch, scores, score), patch, stride, fill }),
    };
  } else {
    // The last candidate whose map is spatial (a 1×1 map upsamples to a constant, which masks nothing).
    const layer = [...camTensors].reverse().find((t) => {
      const d = (base[t] as ort.Tensor).dims;
      return d.length === 4 && (job.layer !== undefined || Number(d[2]) * Number(d[3]) > 1);
    });
    if (layer === undefined) throw new WorkerError('BAD_INPUT', `Score-CAM needs a layer with a 4-D [N, C, H, W] output; ${job.layer ?? 'no Conv'} has none`);
    const t = base[layer] as ort.Tensor;
    const dims = t.dims.map(Number).slice(1);
    const acts = (t.data as Float32Array).slice(0, dims.reduce((a, b) => a * b, 1));
    plan = {
      count: dims[0] as number,
      make: (k, dst) => applyMask(dst, src, channelMask(acts, dims, k, h, w)),
      finish: (scores) => {
        const weights = softmax(scores);
        return { heatmap: camMap(acts, dims, weights, h, w), layer, scores, weights };
      },
    };
  }
  for (const t of Object.values(base)) t.dispose();

  const maxPasses = job.maxPasses ?? DEFAULT_MAX_PASSES;
  const batch = dynamic ? Math.max(1, Math.min(job.batch ?? DEFAULT_ATTRIBUTION_BATCH, plan.count)) : 1;
  if (plan.count > maxPasses) {
    throw new WorkerError('BAD_INPUT', `${job.method} would run ${plan.count} perturbed inputs, more than maxPasses (${maxPasses}); use a larger patch or stride, or raise maxPasses`);
  }
  progress('run', 0.25, { done: 0, total: plan.count });
  const scores = await scorePasses({
    session: rs.session, input: declared.name, output, item, count: plan.count, batch, target, make: plan.make,
    onPass: (done) => progress('run', 0.25 + (0.75 * done) / plan.count, { done, total: plan.count }),
  });
  const runMs = performance.now() - runStart;
  const picture = inputThumbnail(feed, Math.max(h, w));
  return {
    method: job.method, target, score, passes: plan.count, runs: Math.ceil(plan.count / batch), batch, shape: [h, w],
    ...plan.finish(scores),
    provider: readPlacement(rs).provider,
    timings: { sessionMs, runMs },
    ...(picture === undefined ? {} : { picture }),
  };
}
