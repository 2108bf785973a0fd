/**
 * A run's activations to statistics and feature maps in graph order (the input first): from the
 * tensors ONNX Runtime returned, or from the activation arena the run wrote them into.
 * @module
 */
import type * as ort from 'onnxruntime-node';
import type { RunSummary } from './graph-run';
import type { LayerNode, LayerResult } from '@cnnvis/protocol';
import type { LoadedModel } from '../runtime/loaded-model';
import type { ArenaSlot } from '../stats/activation-arena';
import { summarizeSlot } from '../stats/arena-summary';
import { asFloat32 } from '../stats/float-view';
import { channelsWithin } from '../stats/map-budget';
import { CHANNEL_FIELDS, packChannels } from '../stats/packed-channels';
import type { SimdKernels } from '../stats/simd-kernels';
import { summarizeTensor } from '../stats/tensor-summary';
import { runError } from '../runtime/ort-errors';
import { simdKernels } from '../stats/simd-kernels';
import type { AnalyzeJob } from './analyze-types';
import { runIntoArena, type Arena } from './arena-run';
import type { MapsSink } from './maps-file';

/** Runs the analysis session (into an arena when it can) and summarises `fetches`. */
export async function runAndSummarize(
  m: LoadedModel,
  session: ort.InferenceSession,
  job: AnalyzeJob,
  input: { name: string; data: Float32Array; shape: number[] },
  fetches: string[],
  sink: MapsSink,
): Promise<{ summary: RunSummary; runMs: number }> {
  const kernels = simdKernels();
  const t0 = performance.now();
  let ran: Awaited<ReturnType<typeof runIntoArena>>;
  try {
    ran = await runIntoArena({ session, input, fetches, maxChannels: job.maxChannels, ...(job.maxMapBytes === undefined ? {} : { maxMapBytes: job.maxMapBytes }), kernels });
  } catch (err) {
    throw runError(err);
  }
  const runMs = performance.now() - t0;
  const { results, arena } = ran;
  try {
    return { summary: arena && kernels ? summarizeArena(m, kernels, arena, sink) : summarize(m, job, input, fetches, results, sink), runMs };
  } finally {
    for (const t of Object.values(results)) t.dispose();
  }
}

/** From the tensors ONNX Runtime returned. */
function summarize(
  m: LoadedModel,
  job: AnalyzeJob,
  feed: { data: Float32Array; shape: number[] },
  fetches: string[],
  results: ort.InferenceSession.ReturnType,
  maps: MapsSink,
): RunSummary {
  const input = m.graph.inputs[0]?.name ?? '';
  const observed = new Map<string, readonly number[]>([[input, feed.shape]]);
  const shapes = [feed.shape, ...fetches.map((name) => results[name]?.dims.map(Number) ?? [])];
  const keep = channelsWithin(shapes, job.maxChannels, job.maxMapBytes);
  maps.add(summarizeTensor(input, feed.data, feed.shape, keep).map);
  const layers: LayerResult[] = [];
  for (const name of fetches) {
    const t = results[name];
    const node = m.producer.get(name);
    const data = t ? asFloat32(t.type, t.data) : null;
    if (!t || !node || !data) continue;
    const shape = t.dims.map(Number);
    observed.set(name, shape);
    const { stats, channels, map } = summarizeTensor(name, data, shape, keep);
    layers.push({ node: node.id, op: node.op, tensor: name, shape, stats, channels });
    maps.add(map);
  }
  const { layers: bare, ...packed } = packChannels(layers);
  return { observed, layers: bare, packed };
}

/** From an arena (slot 0 the input, then the fetches): maps are views into the kernels' memory. */
function summarizeArena(m: LoadedModel, kernels: SimdKernels, arena: Arena, maps: MapsSink): RunSummary {
  const [input, ...all] = arena.layout.slots;
  const slots = all.filter((s) => m.producer.has(s.name));
  const channelsOf = (s: ArenaSlot) => (s.shape.length === 4 ? (s.shape[1] as number) : 0);
  const channelCounts = Uint32Array.from(slots, channelsOf);
  const channelStats = new Float64Array(channelCounts.reduce((a, b) => a + b, 0) * CHANNEL_FIELDS);
  const observed = new Map<string, readonly number[]>();
  if (input) {
    observed.set(m.graph.inputs[0]?.name ?? '', input.shape);
    // The input is no layer: its channels' statistics are not kept.
    maps.add(summarizeSlot(kernels, arena.buffer, input, new Float64Array(channelsOf(input) * CHANNEL_FIELDS), 0).map);
  }
  const layers: LayerResult[] = [];
  let at = 0;
  for (const slot of slots) {
    const node = m.producer.get(slot.name) as LayerNode;
    observed.set(slot.name, slot.shape);
    const { stats, map } = summarizeSlot(kernels, arena.buffer, slot, channelStats, at);
    at += channelsOf(slot) * CHANNEL_FIELDS;
    layers.push({ node: node.id, op: node.op, tensor: slot.name, shape: slot.shape, stats, channels: [] });
    maps.add(map);
  }
  return { observed, layers, packed: { channelCounts, channelStats } };
}
