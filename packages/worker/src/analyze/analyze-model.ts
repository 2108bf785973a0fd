/**
 * `analyzeModel`: one job in the current process: every float intermediate tensor to statistics
 * and a feature map (on a GPU in the graph, graph-run.ts; on the CPU in JS, summarize-run.ts).
 * @module
 */
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';
import type { InferenceSession } from 'onnxruntime-node';
import { createModelCache, type LoadedModel } from '../runtime/loaded-model';
import { readPlacement } from '../runtime/open-session';
import { ModelError, WorkerError } from '../worker-error';
import type { AnalyzeJob, AnalyzeOutput, AnalyzeProgress, FilterSet, FiltersJob, WeightDiff, WeightDiffJob } from './analyze-types';
import { weightDiffs } from './weight-diff';
import { conv2dFilters } from './conv-weights';
import { inputTensor, singleInput } from './input-tensor';
import { inputThumbnail } from './input-thumbnail';
import { layerFilter } from './layer-filter';
import { runWithStats, statsSession, type RunSummary } from './graph-run';
import { createMapsSink } from './maps-file';
import { observedGraph } from './observed-graph';
import { runAndSummarize } from './summarize-run';
import { ORT_FLOAT_TYPES } from '../stats/float-view';

/** Per session, the last observed graph and the shapes it was made from. */
const observedGraphs = new WeakMap<object, { shapes: string; graph: LayerGraph }>();

/**
 * The layer graph with the shapes a run observed: the last run's object when the shapes are
 * the same, so the pool sends it once (see wire-output.ts).
 */
function graphOf(m: LoadedModel, session: InferenceSession, observed: ReadonlyMap<string, readonly number[]>): LayerGraph {
  let shapes = '';
  for (const [tensor, shape] of observed) shapes += `${tensor}\0${shape.join(',')}\0`;
  const last = observedGraphs.get(session);
  if (last?.shapes === shapes) return last.graph;
  const graph = observedGraph(m.graph, observed, session.outputMetadata);
  observedGraphs.set(session, { shapes, graph });
  return graph;
}

/** Models kept decoded, with their sessions, in this process. */
const cache = createModelCache(4);

/** A model from this process's cache, shared by every kind of job. */
export function loadedModel(modelPath: string, modelId: string): Promise<{ model: LoadedModel; loaded: boolean }> {
  return cache.get(modelPath, modelId);
}

/** Releases every cached model and session of this process. */
export function clearModelCache(): Promise<void> {
  return cache.clear();
}

/**
 * The filters of the job's conv nodes from the model's weights alone, so a model ONNX Runtime
 * cannot open or feed still shows them.
 */
export async function readFilters(job: FiltersJob): Promise<FilterSet[]> {
  const { model } = await cache.get(job.modelPath, job.modelId);
  const nodes = new Set(job.nodes);
  return conv2dFilters(model, (n) => nodes.has(n.id));
}

/** The relative change of each job node's weights from model A to model B; nothing runs. */
export async function readWeightDiffs(job: WeightDiffJob): Promise<WeightDiff[]> {
  const { model: a } = await cache.get(job.modelPath, job.modelId);
  const { model: b } = await cache.get(job.other.modelPath, job.other.modelId);
  return weightDiffs(a, b, job.nodes);
}

/**
 * Runs one analysis job. Throws WorkerError/ModelError with a clear message.
 * @example
 * const out = await analyzeModel({ modelPath, modelId, input: { data, shape: [1, 1, 28, 28] }, maxChannels: 16, provider: 'cpu' });
 * out.layers.map((l) => `${l.node}: mean ${l.stats.mean}`);
 */
export async function analyzeModel(job: AnalyzeJob, onProgress?: (p: AnalyzeProgress) => void): Promise<AnalyzeOutput> {
  const progress = (stage: AnalyzeProgress['stage'], fraction: number) => onProgress?.({ stage, fraction });
  progress('load', 0);
  const { model: m, loaded } = await cache.get(job.modelPath, job.modelId);
  progress('session', 0.1);
  const { rs: analysis, created } = await m.session(job.provider);
  // The JS kernels reduce fetched activations faster on the CPU; on a GPU, fetching them all would dominate.
  const s = analysis.registered === 'cpu' ? null : await statsSession(m, job.provider);
  const rs = s?.rs ?? analysis;
  const sessionMs = (loaded ? m.loadMs : 0) + (created ? analysis.createMs : 0) + (s?.created ? s.rs.createMs : 0);

  const floats = analysis.session.outputMetadata.filter((o) => o.isTensor && ORT_FLOAT_TYPES.has(o.type)).map((o) => o.name);
  const input = singleInput(m.graph.inputs);
  if (floats.length === 0 && input.dtype !== 'float') {
    throw new ModelError('UNSUPPORTED', `the model has no float tensors to show: its input '${input.name}' is ${input.dtype} and so is every tensor it computes`);
  }
  progress('input', 0.3);
  const feed = inputTensor(input, job.input, job.preprocess);
  const keep = layerFilter(job.layers);
  // In graph order (ORT lists the model's own outputs first), so layers read top to bottom.
  const order = new Map(m.graph.nodes.map((n, i) => [n, i]));
  const rank = (t: string) => order.get(m.producer.get(t) as LayerNode) ?? 0;
  const fetches = floats
    .filter((t) => {
      const node = m.producer.get(t);
      return node !== undefined && keep(node);
    })
    .sort((a, b) => rank(a) - rank(b));
  if (fetches.length === 0) {
    throw new WorkerError('BAD_INPUT', `no layer matches the filter [${(job.layers ?? []).join(', ')}] (match an op such as 'Conv', or part of a node name)`);
  }

  progress('run', 0.35);
  const sink = createMapsSink(job.mapsPath);
  const started = performance.now();
  let out: RunSummary;
  let runMs: number;
  try {
    const fed = { name: input.name, ...feed };
    ({ summary: out, runMs } = s ? await runWithStats(m, s, fed, fetches, job, sink) : await runAndSummarize(m, analysis.session, job, fed, fetches, sink));
  } catch (err) {
    await sink.finish().catch(() => undefined);
    throw err;
  }
  const statsMs = performance.now() - started - runMs;
  const placement = readPlacement(rs);
  progress('stats', 0.8);
  const { channelStats } = out.packed;
  const channelStatsAt = sink.append(new Uint8Array(channelStats.buffer, channelStats.byteOffset, channelStats.byteLength));
  const note = [rs.fallbackNote, placement.note].filter(Boolean).join('; ');
  progress('stats', 1);
  const thumbnail = inputThumbnail(feed);
  return {
    graph: graphOf(m, analysis.session, out.observed),
    provider: placement.provider,
    ...(note ? { providerNote: note } : {}),
    timings: { sessionMs, runMs, statsMs },
    layers: out.layers,
    packedChannels: out.packed,
    ...(channelStatsAt === undefined ? {} : { channelStatsAt }),
    filters: job.filters === false ? [] : conv2dFilters(m, keep),
    input: thumbnail === undefined ? { shape: feed.shape } : { shape: feed.shape, thumbnail },
    // Last: the maps' writes overlapped all the work above.
    ...(await sink.finish()),
  };
}
