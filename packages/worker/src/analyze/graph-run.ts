/**
 * One run on a GPU through the model with per-plane statistics and maps appended as ONNX ops
 * (plane-stats-graph.ts), so the run fetches a few numbers a plane and a byte a value. Tensors
 * of rank below 3 or unknown rank are fetched as they are and summarised in JS.
 * @module
 */
import * as ort from 'onnxruntime-node';
import type { LayerNode, LayerResult, TensorStats } from '@cnnvis/protocol';
import { defaultOpset, planeStatsGraph, type PlaneStatsOutputs } from '../onnx/plane-stats-graph';
import type { LoadedModel } from '../runtime/loaded-model';
import type { ProviderRequest, RuntimeSession } from '../runtime/open-session';
import { runError } from '../runtime/ort-errors';
import { asFloat32, ORT_FLOAT_TYPES } from '../stats/float-view';
import { mapLayout } from '../stats/feature-map';
import { channelsWithin } from '../stats/map-budget';
import { CHANNEL_FIELDS, packStats, type ChannelArrays } from '../stats/packed-channels';
import { summarizeTensor } from '../stats/tensor-summary';
import { foldChannels, mergeAll, type Moments } from '../stats/tensor-stats';
import { readPlaneStats, type PlaneStats } from '../dataset/channel-totals';
import type { AnalyzeJob, FeatureMap } from './analyze-types';
import type { MapsSink } from './maps-file';

/** The session, and per float tensor its statistics' outputs (or null: fetched as it is). */
export interface StatsSession {
  rs: RuntimeSession;
  outputs: Map<string, PlaneStatsOutputs | null>;
  created: boolean;
}

/** The model's statistics session for a provider, made once from the analysis session's outputs. */
export async function statsSession(m: LoadedModel, provider: ProviderRequest): Promise<StatsSession> {
  const { rs, part, created } = await m.derivedSession(provider, 'feature-maps', (analysis) => {
    const graphed = [];
    const raw: string[] = [];
    for (const o of analysis.session.outputMetadata) {
      if (!o.isTensor || !ORT_FLOAT_TYPES.has(o.type) || !m.producer.has(o.name)) continue;
      if (o.shape.length >= 3 && defaultOpset(m.model) >= 9) graphed.push({ name: o.name, float32: o.type === 'float32', map: true });
      else raw.push(o.name);
    }
    // The raw tensors become outputs (a model's own outputs already are).
    const own = new Set(m.model.graph?.output.map((o) => o.name));
    const { graph, outputs } = planeStatsGraph(graphed, defaultOpset(m.model), raw.filter((name) => !own.has(name)));
    const all = new Map<string, PlaneStatsOutputs | null>(outputs);
    for (const name of raw) all.set(name, null);
    return { graph, outputs: all };
  });
  return { rs, outputs: part.outputs, created };
}

export interface RunSummary {
  /** Each summarised tensor's shape as the run saw it. */
  observed: Map<string, readonly number[]>;
  /** With empty `channels`: their statistics are in `packed`. */
  layers: LayerResult[];
  packed: ChannelArrays;
}


/** Runs the statistics session, fetching `tensors`' statistics and maps (these to `sink`). */
export async function runWithStats(
  m: LoadedModel,
  s: StatsSession,
  input: { name: string; data: Float32Array; shape: number[] },
  tensors: readonly string[],
  job: Pick<AnalyzeJob, 'maxChannels' | 'maxMapBytes'>,
  sink: MapsSink,
): Promise<{ summary: RunSummary; runMs: number }> {
  const names = tensors.flatMap((t) => {
    const o = s.outputs.get(t);
    return o ? (Object.values(o) as string[]) : [t];
  });
  const t0 = performance.now();
  let out: ort.InferenceSession.ReturnType;
  try {
    out = await s.rs.session.run({ [input.name]: new ort.Tensor('float32', input.data, input.shape) }, names);
  } catch (err) {
    throw runError(err);
  }
  const runMs = performance.now() - t0;
  try {
    const shapeOf = (t: string) => {
      const o = s.outputs.get(t);
      return o ? Array.from(out[o.shape]?.data as BigInt64Array, Number) : (out[t]?.dims.map(Number) ?? []);
    };
    const shapes = tensors.map(shapeOf);
    const keep = channelsWithin([input.shape, ...shapes], job.maxChannels, job.maxMapBytes);
    const observed = new Map<string, readonly number[]>([[m.graph.inputs[0]?.name ?? input.name, input.shape]]);
    sink.add(summarizeTensor(input.name, input.data, input.shape, keep).map);
    const channelCounts = Uint32Array.from(shapes, (shape) => (shape.length === 4 ? (shape[1] as number) : 0));
    const channelStats = new Float64Array(channelCounts.reduce((a, b) => a + b, 0) * CHANNEL_FIELDS);
    const layers: LayerResult[] = [];
    let at = 0;
    tensors.forEach((tensor, i) => {
      const node = m.producer.get(tensor) as LayerNode;
      const shape = shapes[i] as number[];
      const o = s.outputs.get(tensor);
      observed.set(tensor, shape);
      let stats: TensorStats;
      if (o) {
        const planes = readPlaneStats(o, (name) => out[name]?.data as Float32Array);
        stats = planeSummary(planes, shape, channelStats, at);
        sink.add(planeMap(tensor, planes, shape, keep, out[o.map ?? '']?.data as Uint8Array));
      } else {
        const t = out[tensor] as ort.Tensor;
        const summary = summarizeTensor(tensor, asFloat32(t.type, t.data) ?? new Float32Array(0), shape, keep);
        summary.channels.forEach((c, j) => packStats(c, channelStats, at + j * CHANNEL_FIELDS));
        stats = summary.stats;
        sink.add(summary.map);
      }
      at += (channelCounts[i] as number) * CHANNEL_FIELDS;
      layers.push({ node: node.id, op: node.op, tensor, shape, stats, channels: [] });
    });
    return { summary: { observed, layers, packed: { channelCounts, channelStats } }, runMs };
  } finally {
    // The maps' bytes are views into the outputs: the sink copies or writes them before the job ends.
    for (const t of Object.values(out)) if (t.type !== 'uint8') t.dispose();
  }
}

/** Adds plane `p` of `plane` values (+ 0: a -0 extreme is reported as 0). */
function addPlane(m: Moments, s: PlaneStats, p: number, plane: number): void {
  const bad = s.nonfinite[p] as number;
  const nan = s.nan[p] as number;
  const finite = plane - bad;
  const min = (s.min[p] as number) + 0;
  const max = (s.max[p] as number) + 0;
  const zeros = finite - (s.nonzero[p] as number);
  const [mean, m2] = [s.mean[p] as number, s.m2[p] as number];
  mergeAll(m, { n: finite, mean, m2, min, max, zeros, nan, inf: bad - nan, total: plane });
}

/** The layer's statistics; a 4-D tensor's channels' go to `channelStats` from `at`. */
function planeSummary(s: PlaneStats, shape: readonly number[], channelStats: Float64Array, at: number): TensorStats {
  const [n = 0, c = 0] = shape;
  const plane = shape.slice(2).reduce((a, b) => a * b, 1);
  const out = shape.length === 4 ? channelStats : null;
  return foldChannels(n, c, (m, p) => addPlane(m, s, p, plane), out, at);
}

/** Batch item 0's first `keep` planes' map, over each plane's finite range ([0, 0] for none). */
function planeMap(tensor: string, s: PlaneStats, shape: readonly number[], keep: number, bytes: Uint8Array): FeatureMap {
  const { channels, height, width } = mapLayout(shape);
  const k = Math.min(channels, Math.max(1, keep));
  const channelMin = new Float32Array(k);
  const channelMax = new Float32Array(k);
  for (let c = 0; c < k; c++) {
    const some = (s.nonfinite[c] as number) < height * width;
    channelMin[c] = some ? (s.min[c] as number) + 0 : 0;
    channelMax[c] = some ? (s.max[c] as number) + 0 : 0;
  }
  return { tensor, shape: [k, height, width], channelMin, channelMax, data: bytes.subarray(0, k * height * width) };
}
