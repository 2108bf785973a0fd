/**
 * `run:compare` and `GET /api/runs/:a/compare/:b`: two kept runs, layer by layer. Layers match by
 * node name (and output position) with the same output shape; the rest are listed as unmatched,
 * with why.
 * @module
 */
import { CompareRequestSchema, DEFAULT_ENV, type CompareRequest, type CompareResult, type LayerCompare, type LayerResult, type RunRef, type UnmatchedLayer } from '@cnnvis/protocol';
import { readMapBytes } from '@cnnvis/worker/pool';
import { badField, CnnvisError } from '../errors';
import type { ModelService } from '../models/model-service';
import type { AnalysisStore, StoredRun } from '../store/analysis-store';
import { validate } from '../window-service';
import { compareMaps, comparableSize, type QuantizedMap } from './compare-maps';
import type { JobRunner } from './job-runner';

/** Channels listed per layer when the request names no number. */
export const DEFAULT_TOP_CHANNELS = 5;

export interface CompareDeps {
  runs: Pick<AnalysisStore, 'getRun' | 'listRuns' | 'getMap'>;
  models: Pick<ModelService, 'files'>;
  jobs: Pick<JobRunner, 'weightDiff'>;
}

type Pair = { a: LayerResult; b: LayerResult };

/** A layer's key: its node and the position among that node's outputs, so renamed tensors still match. */
function keyed(layers: readonly LayerResult[]): Map<string, LayerResult> {
  const seen = new Map<string, number>();
  const out = new Map<string, LayerResult>();
  for (const l of layers) {
    const k = seen.get(l.node) ?? 0;
    seen.set(l.node, k + 1);
    out.set(`${l.node}\0${k}`, l);
  }
  return out;
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Layers of `a` and `b` paired by node and shape; the others listed, with why. */
export function matchLayers(a: readonly LayerResult[], b: readonly LayerResult[]): { pairs: Pair[]; unmatched: UnmatchedLayer[] } {
  const inB = keyed(b);
  const pairs: Pair[] = [];
  const unmatched: UnmatchedLayer[] = [];
  for (const [key, la] of keyed(a)) {
    const lb = inB.get(key);
    inB.delete(key);
    if (lb === undefined) unmatched.push({ id: la.node, tensor: la.tensor, run: 'a', reason: `run b has no layer '${la.node}'` });
    else if (fmt(la.shape) !== fmt(lb.shape)) {
      unmatched.push({ id: la.node, tensor: la.tensor, run: 'a', reason: `output ${fmt(la.shape)} in run a, ${fmt(lb.shape)} in run b` });
    } else pairs.push({ a: la, b: lb });
  }
  for (const lb of inB.values()) unmatched.push({ id: lb.node, tensor: lb.tensor, run: 'b', reason: `run a has no layer '${lb.node}'` });
  return { pairs, unmatched };
}

export class RunComparer {
  constructor(private readonly deps: CompareDeps) {}

  /** Compare run `a` (the reference) with run `b`. Throws NOT_FOUND for a run no window keeps. */
  async compare(payload: unknown): Promise<CompareResult> {
    const req = validate(CompareRequestSchema, payload);
    const a = await this.resolve(req, req.a, 'a');
    const b = await this.resolve(req, req.b, 'b');
    const { pairs, unmatched } = matchLayers(a.run.layers, b.run.layers);
    const top = req.topChannels ?? DEFAULT_TOP_CHANNELS;
    const compared = await Promise.all(pairs.map((p) => this.compareLayer(a, b, p, top)));
    const layers: LayerCompare[] = [];
    for (const c of compared) {
      if ('reason' in c) unmatched.push(c);
      else layers.push(c);
    }
    if (a.info.modelId !== b.info.modelId) await this.addWeightDiffs(a, b, layers);
    return { a: a.info, b: b.info, layers, unmatched };
  }

  private async resolve(req: CompareRequest, ref: RunRef, field: 'a' | 'b'): Promise<StoredRun> {
    let runId = ref;
    if (typeof ref === 'number') {
      if (req.win === undefined) throw badField('win', `is needed to find step ${ref} (${field} names a step, not a run id)`);
      const env = req.env ?? DEFAULT_ENV;
      const found = (await this.deps.runs.listRuns(env, req.win)).filter((r) => r.step === ref).at(-1);
      if (found === undefined) throw CnnvisError.notFound(`${field}: window '${req.win}' of env '${env}' keeps no run of step ${ref}`);
      runId = found.runId;
    }
    const run = await this.deps.runs.getRun(String(runId));
    if (run === undefined) throw CnnvisError.notFound(`${field}: run '${runId}' not found (no window keeps it any more)`);
    return run;
  }

  private async readMap(run: StoredRun, tensor: string): Promise<QuantizedMap | undefined> {
    const ref = await this.deps.runs.getMap(run.info.runId, tensor);
    if (ref === undefined) return undefined;
    // A short flat map keeps a range per value (exact values): compared as that many one-value channels.
    const shape = ref.shape.length === 1 && ref.channelMin.length > 1 ? [ref.channelMin.length, 1, 1] : ref.shape;
    return { shape, channelMin: ref.channelMin, channelMax: ref.channelMax, data: await readMapBytes(ref.file, ref) };
  }

  private async compareLayer(a: StoredRun, b: StoredRun, { a: la, b: lb }: Pair, top: number): Promise<LayerCompare | UnmatchedLayer> {
    const [mapA, mapB] = await Promise.all([this.readMap(a, la.tensor), this.readMap(b, lb.tensor)]);
    const missing = mapA === undefined ? 'a' : mapB === undefined ? 'b' : undefined;
    const unmatched = (reason: string): UnmatchedLayer => ({ id: la.node, tensor: la.tensor, run: 'a', reason });
    if (mapA === undefined || mapB === undefined) return unmatched(`run ${missing ?? 'a'} stored no feature map of it (its layers filter left it out)`);
    const size = comparableSize(mapA, mapB);
    if (typeof size === 'string') return unmatched(size);
    return { id: la.node, op: la.op, tensor: la.tensor, shape: la.shape, ...compareMaps(mapA, mapB, size.channels, size.plane, top) };
  }

  /** Adds each matched layer's weight change (its node's initializers in both models), read by a worker. */
  private async addWeightDiffs(a: StoredRun, b: StoredRun, layers: LayerCompare[]): Promise<void> {
    const nodesA = new Map(a.graph.nodes.map((n) => [n.id, n]));
    const nodesB = new Map(b.graph.nodes.map((n) => [n.id, n]));
    const nodes = [...new Set(layers.map((l) => l.id))].flatMap((id) => {
      const wa = nodesA.get(id)?.weights ?? [];
      return wa.length === 0 ? [] : [{ node: id, a: wa, b: nodesB.get(id)?.weights ?? [] }];
    });
    if (nodes.length === 0) return;
    const { files } = this.deps.models;
    for (const id of [a.info.modelId, b.info.modelId]) {
      if (!files.exists(id)) throw CnnvisError.notFound(`model '${id}' of a compared run is no longer stored, so its weights cannot be compared`);
    }
    const diffs = await this.deps.jobs.weightDiff({
      modelPath: files.pathOf(a.info.modelId),
      modelId: a.info.modelId,
      other: { modelPath: files.pathOf(b.info.modelId), modelId: b.info.modelId },
      nodes,
    });
    const byNode = new Map(diffs.map((d) => [d.node, d.relL2]));
    for (const l of layers) if (byNode.has(l.id)) l.weightRelL2 = byNode.get(l.id) ?? null;
  }
}
