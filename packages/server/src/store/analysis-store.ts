/**
 * The persistence of CNN analysis, beside {@link WindowStore}: uploaded models'
 * parsed graphs, and the feature maps and filters of runs as binary blobs. A
 * run's blobs are written with the graph window that shows it (see
 * {@link StoredGraphContent}), in the same transaction, so a browser told of
 * the window can always fetch its maps.
 * @module
 */
import type { AnalysisRun, LayerGraph } from '@cnnvis/protocol';

/** An uploaded model: its size and parsed layer graph (the bytes are a file). */
export interface StoredModel {
  id: string;
  bytes: number;
  graph: LayerGraph;
  createdAt: number;
}

/** One tensor's feature maps: batch item 0, quantised to 8 bits per channel. */
export interface StoredMap {
  tensor: string;
  /** [C, H, W], or [N] for 1-D/2-D outputs. */
  shape: number[];
  channelMin: Float32Array;
  channelMax: Float32Array;
  /** q = round((x − min_c) / (max_c − min_c) · 255), C·H·W bytes. */
  data: Uint8Array;
}

/** A conv layer's weights, quantised to 8 bits over the whole tensor. */
export interface StoredFilter {
  node: string;
  /** [O, I, kh, kw] */
  shape: number[];
  min: number;
  max: number;
  histogram: { edges: number[]; counts: number[] };
  data: Uint8Array;
}

/** The binary part of a run, stored beside the window that shows it. */
export interface RunBlobs {
  runId: string;
  modelId: string;
  maps: StoredMap[];
  filters: StoredFilter[];
}

/** A graph window's content as handed to the store: the wire content plus, after a run, its blobs. */
export interface StoredGraphContent {
  kind: 'graph';
  graph: LayerGraph;
  run: AnalysisRun | null;
  blobs?: RunBlobs;
}

export interface AnalysisStore {
  /** Record an uploaded model (replacing any record of the same id). */
  saveModel(model: Omit<StoredModel, 'createdAt'>): void;
  getModel(id: string): StoredModel | undefined;
  /** Whether any window still shows run `runId`. */
  hasRun(runId: string): boolean;
  getMap(runId: string, tensor: string): StoredMap | undefined;
  /** A conv layer's filters, read through a run of its model. */
  getFilter(runId: string, node: string): StoredFilter | undefined;
  /** The nodes of model `modelId` whose filters are stored. */
  filterNodes(modelId: string): Set<string>;
}
