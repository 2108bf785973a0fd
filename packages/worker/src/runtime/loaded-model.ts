/**
 * A model as the worker keeps it between jobs: decoded once, with its sessions; an LRU by model
 * id bounds how many stay in memory.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';
import { checkModel } from '../onnx/check-model';
import { decodeModel } from '../onnx/decode-model';
import { appendToGraph } from '../onnx/expose-outputs';
import { weightsInPlace } from '../onnx/weights-in-place';
import { buildLayerGraph } from '../onnx/layer-graph';
import type { ModelProto, TensorProto } from '../onnx/onnx-schema';
import { WorkerError } from '../worker-error';
import { analysisModel } from './exposed-tensors';
import { closeSession, openSession, type ProviderRequest, type RuntimeSession } from './open-session';

export interface LoadedModel {
  modelId: string;
  model: ModelProto;
  graph: LayerGraph;
  /** The node that produces each tensor. */
  producer: Map<string, LayerNode>;
  initializer: Map<string, TensorProto>;
  loadMs: number;
  /** The analysis session for a provider request, created on first use. */
  session(provider: ProviderRequest): Promise<{ rs: RuntimeSession; created: boolean }>;
  /**
   * A session of the model with the graph part `append` makes added, created once per provider
   * and `key`; `append` gets the analysis session (whose outputs ORT typed).
   */
  derivedSession<T extends { graph: Uint8Array }>(provider: ProviderRequest, key: string, append: (analysis: RuntimeSession) => T): Promise<{ rs: RuntimeSession; part: T; created: boolean }>;
  close(): Promise<void>;
}

/** Reads, decodes and indexes a model file. */
async function loadModel(modelPath: string, modelId: string): Promise<LoadedModel> {
  const started = performance.now();
  let bytes: Uint8Array;
  try {
    bytes = await readFile(modelPath);
  } catch (err) {
    // The file's name only: its folder is the server's data folder, no business of the user's.
    throw new WorkerError('BAD_INPUT', `cannot read the model file ${basename(modelPath)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const model = decodeModel(bytes);
  // Stored before the server checked models on upload, or written to disk by hand.
  checkModel(model);
  const graph = buildLayerGraph(model, modelId);
  const producer = new Map<string, LayerNode>();
  for (const n of graph.nodes) for (const t of n.outputs) producer.set(t, n);
  const initializer = new Map((model.graph?.initializer ?? []).map((t) => [t.name, t]));
  const sessions = new Map<ProviderRequest, Promise<RuntimeSession>>();
  const derived = new Map<string, Promise<{ rs: RuntimeSession; part: unknown }>>();
  const loaded: LoadedModel = {
    modelId, model, graph, producer, initializer, loadMs: performance.now() - started,
    async session(provider) {
      const cached = sessions.get(provider);
      if (cached) return { rs: await cached, created: false };
      // The weights are mapped from the model's file, not copied (weights-in-place.ts).
      const exposed = analysisModel(model, bytes, modelPath);
      const opening = openSession(exposed.bytes, provider, exposed.weightsFolder);
      sessions.set(provider, opening);
      opening.catch(() => sessions.delete(provider)); // a failed open is retried next time
      return { rs: await opening, created: true };
    },
    async derivedSession<T extends { graph: Uint8Array }>(provider: ProviderRequest, key: string, append: (analysis: RuntimeSession) => T) {
      const id = `${provider}\0${key}`;
      const cached = derived.get(id) as Promise<{ rs: RuntimeSession; part: T }> | undefined;
      if (cached) return { ...(await cached), created: false };
      const opening = loaded.session(provider).then(async ({ rs: analysis }) => {
        const part = append(analysis);
        const skeleton = weightsInPlace(model, bytes, basename(modelPath));
        return { rs: await openSession(appendToGraph(skeleton, part.graph), provider, resolve(dirname(modelPath))), part };
      });
      derived.set(id, opening);
      opening.catch(() => derived.delete(id));
      return { ...(await opening), created: true };
    },
    async close() {
      for (const s of sessions.values()) await s.then(closeSession, () => undefined);
      for (const s of derived.values()) await s.then(({ rs }) => closeSession(rs), () => undefined);
      sessions.clear();
      derived.clear();
    },
  };
  return loaded;
}

/** Loaded models by id, the least recently used closed past `capacity`. */
export function createModelCache(capacity: number) {
  const closing = new Set<Promise<void>>();
  const models = new LRUCache<string, Promise<LoadedModel>>({
    max: capacity,
    dispose(model) {
      const closed = model.then((m) => m.close(), () => undefined);
      closing.add(closed);
      void closed.finally(() => closing.delete(closed));
    },
  });
  return {
    async get(modelPath: string, modelId: string): Promise<{ model: LoadedModel; loaded: boolean }> {
      const hit = models.get(modelId);
      if (hit) return { model: await hit, loaded: false };
      const loading = loadModel(modelPath, modelId);
      models.set(modelId, loading);
      loading.catch(() => models.peek(modelId) === loading && models.delete(modelId));
      return { model: await loading, loaded: true };
    },
    async clear(): Promise<void> {
      models.clear();
      await Promise.all(closing);
    },
  };
}
