/**
 * The persistence of CNN analysis, beside {@link WindowStore}: uploaded models' parsed graphs,
 * runs' filters as binary blobs, and where each feature map lies in its run's maps file. The worker
 * writes that file before the run is recorded with its graph window, so a browser told of the
 * window can always fetch its maps.
 * @module
 */
import type { AnalysisRun, AnalyzeRequest, GraphDataset, KeptAttribution, LayerGraph, RunInfo } from '@cnnvis/protocol';
import type { ChannelArrays, FileChannels, InputThumbnail } from '@cnnvis/worker/pool';

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
  /** Where the bytes lie in the run's maps file: q = round((x − min_c) / (max_c − min_c) · 255), C·H·W bytes. */
  offset: number;
  length: number;
}

/** Where a run's input lies in its maps file (run-file-tail.ts), and how to read it back. */
export interface RunInputRef {
  encoding: 'float32' | 'png' | 'jpeg';
  /** A float32 tensor's shape; null for an encoded image. */
  shape: number[] | null;
  /** Byte offset in the maps file. */
  at: number;
  length: number;
}

/** A map as the store records it (run-file-tail.ts): its ranges (`channels` float32 minima, then as many maxima) lie in the file at `rangesAt`. */
export interface StoredMapIndex extends Omit<StoredMap, 'channelMin' | 'channelMax'> {
  channels: number;
  rangesAt: number;
}

/** A stored map with the file its bytes are in. */
export interface StoredMapRef extends StoredMap {
  file: string;
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

/** The binary part of a run, stored beside the window that shows it (its maps file already written). */
export interface RunBlobs {
  runId: string;
  modelId: string;
  /** Where each map lies in the run's maps file, its ranges too. */
  maps: StoredMapIndex[];
  filters: StoredFilter[];
  /**
   * The run's per-channel statistics, packed as the worker sent them, in memory or still in the
   * run's maps file (where the worker wrote them after the maps; the store then records only
   * where); the run's layers then have empty `channels`.
   */
  channels?: ChannelArrays | FileChannels;
  /** What the window's list of runs shows of it (its ids and thumbnail URL are filled in on read). */
  info?: StoredRunInfo;
  thumbnail?: InputThumbnail;
  /** Where the input as the request gave it lies in the run's maps file, for attributions of the run. */
  input?: RunInputRef;
}

/** A run's input as its request gave it: a float32 tensor's bytes and shape, or an encoded image. */
export type StoredRunInput = AnalyzeRequest['input'];

/** An attribution's heatmap and what made it, to keep with a run. */
export type NewAttribution = Omit<KeptAttribution, 'id' | 'createdAt' | 'heatmap'> & { heatmap: Float32Array };

/** A run's info as stored: {@link RunInfo} without what the row and its URLs say. */
export type StoredRunInfo = Omit<RunInfo, 'runId' | 'modelId' | 'thumbnail'>;

/** A kept run read back whole: where it is kept, its info, its model's graph and its layers (channels filled in). */
export interface StoredRun {
  env: string;
  win: string;
  info: RunInfo;
  graph: LayerGraph;
  run: AnalysisRun;
}

/** A graph window's content as handed to the store: the wire content plus, after a run, its blobs. */
export interface StoredGraphContent {
  kind: 'graph';
  graph: LayerGraph;
  run: AnalysisRun | null;
  blobs?: RunBlobs;
  /** Statistics over a dataset; a new run (with blobs) of the same model keeps those the window had. */
  dataset?: GraphDataset;
}

/** As {@link WindowStore}: promises, a write's settled once it is committed. */
export interface AnalysisStore {
  /** Record an uploaded model (replacing any record of the same id). */
  saveModel(model: Omit<StoredModel, 'createdAt'>): Promise<void>;
  getModel(id: string): Promise<StoredModel | undefined>;
  /** Whether any window still shows run `runId`. */
  hasRun(runId: string): Promise<boolean>;
  getMap(runId: string, tensor: string): Promise<StoredMapRef | undefined>;
  /** A kept run with its graph and layers; undefined when no window keeps it. */
  getRun(runId: string): Promise<StoredRun | undefined>;
  /** The kept runs of graph window (env, win), oldest first; empty when it keeps none. */
  listRuns(env: string, win: string): Promise<RunInfo[]>;
  /** The thumbnail of a run's input, when it has one. */
  getThumbnail(runId: string): Promise<InputThumbnail | undefined>;
  /** Where a run's maps file goes: the worker writes it before the run is recorded (a path, so no promise). */
  mapsPath(runId: string): string;
  /** Remove the maps file of a run that was not recorded (its job or its store failed). */
  discardRun(runId: string): Promise<void>;
  /** A conv layer's filters, read through a run of its model. */
  getFilter(runId: string, node: string): Promise<StoredFilter | undefined>;
  /** The nodes of model `modelId` whose filters are stored. */
  filterNodes(modelId: string): Promise<Set<string>>;
  /** A kept run's input as its request gave it; undefined for runs stored before inputs were kept. */
  getRunInput(runId: string): Promise<StoredRunInput | undefined>;
  /** Keep an attribution's heatmap with a kept run (the oldest go past MAX_KEPT_ATTRIBUTIONS). */
  addAttribution(runId: string, attribution: NewAttribution): Promise<void>;
  /** The heatmaps kept with a run, oldest first. */
  listAttributions(runId: string): Promise<KeptAttribution[]>;
}
