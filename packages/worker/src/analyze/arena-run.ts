/**
 * A run whose activations ONNX Runtime writes straight into the SIMD kernel's memory (an
 * activation arena). Pre-allocating needs the outputs' shapes, so a session's first run with an
 * input shape takes the plain path and its shapes are remembered; a run that finds them changed
 * (shapes that depend on the input's values) runs the plain way from then on.
 * @module
 */
import * as ort from 'onnxruntime-node';
import { layoutArena, type ArenaLayout } from '../stats/activation-arena';
import { channelsWithin } from '../stats/map-budget';
import type { SimdKernels } from '../stats/simd-kernels';

/** The activations of a run in the kernel's memory; valid until it is next reserved. */
export interface Arena {
  layout: ArenaLayout;
  buffer: ArrayBuffer;
}

/** Per session: the fetched outputs' shapes, by input shape and fetch list; null where they changed between runs. */
const known = new WeakMap<ort.InferenceSession, Map<string, number[][] | null>>();

/** A bound on the remembered fetch lists, for a caller that keeps varying them. */
const MAX_KNOWN_PER_SESSION = 16;

const keyOf = (shape: readonly number[], fetches: readonly string[]) => `${shape.join(',')}\0${fetches.join('\0')}`;

export interface RunIntoArenaOptions {
  session: ort.InferenceSession;
  input: { name: string; data: Float32Array; shape: number[] };
  fetches: string[];
  maxChannels: number;
  /** Bytes the maps may take (see channelsWithin). */
  maxMapBytes?: number;
  kernels: SimdKernels | null;
}

/**
 * Runs the session into an arena (slot 0 the input, then one slot a fetch); no arena for
 * outputs not all float32, without the kernel, or past its memory limit.
 */
export async function runIntoArena(o: RunIntoArenaOptions): Promise<{ results: ort.InferenceSession.ReturnType; arena: Arena | null }> {
  const { session, input, fetches } = o;
  const feeds = { [input.name]: new ort.Tensor('float32', input.data, input.shape) };
  const key = keyOf(input.shape, fetches);
  const shapes = known.get(session)?.get(key);
  const arena = shapes && o.kernels ? reserveArena(o.kernels, input, fetches, shapes, o) : null;
  if (arena) {
    const outputs: Record<string, ort.Tensor> = {};
    for (const s of arena.layout.slots.slice(1)) outputs[s.name] = new ort.Tensor('float32', new Float32Array(arena.buffer, s.floatsAt, s.length), s.shape);
    try {
      const results = await session.run(feeds, outputs);
      // Nothing grows the memory during a job; were it grown, the views would read zeros.
      if (arena.buffer.byteLength > 0) {
        new Float32Array(arena.buffer, arena.layout.slots[0]?.floatsAt ?? 0, input.data.length).set(input.data);
        return { results, arena };
      }
    } catch {
      // Shapes that changed with the input's values: run the plain way, now and from now on.
    }
    const results = await session.run(feeds, fetches);
    known.get(session)?.set(key, null);
    return { results, arena: null };
  }
  const results = await session.run(feeds, fetches);
  if (shapes !== undefined) return { results, arena: null };
  const learnt = remember(session, key, fetches, results);
  const copied = learnt && o.kernels ? reserveArena(o.kernels, input, fetches, learnt, o) : null;
  copied?.layout.slots.forEach((s, i) => {
    const data = i === 0 ? input.data : (results[s.name]?.data as Float32Array);
    new Float32Array(copied.buffer, s.floatsAt, s.length).set(data);
  });
  return { results, arena: copied };
}

function reserveArena(k: SimdKernels, input: RunIntoArenaOptions['input'], fetches: string[], shapes: number[][], o: RunIntoArenaOptions): Arena | null {
  const tensors = [{ name: input.name, shape: input.shape }, ...fetches.map((name, i) => ({ name, shape: shapes[i] ?? [] }))];
  const layout = layoutArena(tensors, channelsWithin(tensors.map((t) => t.shape), o.maxChannels, o.maxMapBytes));
  const buffer = k.reserve(layout.bytes);
  return buffer ? { layout, buffer } : null;
}

/** Remembers and returns the outputs' shapes when every fetch came back as float32 (the arena holds float32 only). */
function remember(session: ort.InferenceSession, key: string, fetches: string[], results: ort.InferenceSession.ReturnType): number[][] | null {
  const shapes: number[][] = [];
  for (const name of fetches) {
    const t = results[name];
    if (!t || t.type !== 'float32') return null;
    shapes.push(t.dims.map(Number));
  }
  let bySession = known.get(session);
  if (!bySession) known.set(session, (bySession = new Map()));
  if (bySession.size >= MAX_KNOWN_PER_SESSION) bySession.delete(bySession.keys().next().value ?? '');
  bySession.set(key, shapes);
  return shapes;
}
