/**
 * The shapes of an analysis job and its output: plain data and typed arrays, so they cross
 * a process boundary with structured clone.
 * @module
 */
import type { LayerGraph, LayerResult, Preprocess, Provider } from '@cnnvis/protocol';
import type { ProviderRequest } from '../runtime/open-session';
import type { ChannelArrays, FileChannels } from '../stats/packed-channels';

/** The model's input: a float32 tensor, or an encoded PNG/JPEG image to preprocess. */
export type AnalyzeInput = { data: Float32Array; shape: number[] } | { encoded: Uint8Array };

/** One analysis: which model, on what input, and what to keep. */
export interface AnalyzeJob {
  /** Path of the ONNX file (the server keeps models as `<dataDir>/models/<id>.onnx`). */
  modelPath: string;
  /** SHA-256 of the model's bytes: the key of the parsed-model and session caches. */
  modelId: string;
  input: AnalyzeInput;
  preprocess?: Preprocess;
  /** Keep layers whose node id contains, or whose op equals, one of these. All when absent. */
  layers?: string[];
  /** The most channels of each feature map to return. */
  maxChannels: number;
  /** Bytes the maps may take; past it every map keeps fewer channels (see channelsWithin). @default 64 MiB */
  maxMapBytes?: number;
  /** Return conv filters (they depend on the model only, so a caller may skip them on reruns). @default true */
  filters?: boolean;
  provider: ProviderRequest;
  /** Write the maps' bytes to this file instead of returning them (see `mapRanges`). */
  mapsPath?: string;
}

/** Read the filters of a model's conv nodes from its weights; nothing runs. */
export interface FiltersJob {
  /** Path of the ONNX file. */
  modelPath: string;
  /** SHA-256 of the model's bytes: the key of the parsed-model cache. */
  modelId: string;
  /** The conv nodes, by id; those whose weights are no 2-D conv initializer are left out. */
  nodes: string[];
}

/** Compare two models' weights node by node; nothing runs. `modelPath`/`modelId` are model A's. */
export interface WeightDiffJob {
  modelPath: string;
  modelId: string;
  other: { modelPath: string; modelId: string };
  /** Each node with the initializers it reads in A and in B, paired in order. */
  nodes: Array<{ node: string; a: string[]; b: string[] }>;
}

/** A node's ‖W_A − W_B‖ / ‖W_A‖; null where its weights do not pair up. */
export interface WeightDiff {
  node: string;
  relL2: number | null;
}

/** One tensor's feature maps: batch item 0, each channel quantised to bytes over its own range. */
export interface FeatureMap {
  tensor: string;
  /** `[C, H, W]` with C ≤ maxChannels (and within maxMapBytes), or `[N]` for 1-D/2-D tensors (one channel). */
  shape: number[];
  channelMin: Float32Array;
  channelMax: Float32Array;
  /** C*H*W bytes, channel-major. */
  data: Uint8Array;
}

/** A feature map whose bytes lie in the job's `mapsPath` file: `length` bytes from `offset`. */
export interface FeatureMapRange extends Omit<FeatureMap, 'data'> {
  offset: number;
  length: number;
}

/** A conv layer's weights as images, with their histogram. */
export interface FilterSet {
  node: string;
  /** `[O, I, kh, kw]` (I is per group for grouped convs). */
  shape: number[];
  min: number;
  max: number;
  /** Every weight quantised over the whole tensor's range. */
  data: Uint8Array;
  histogram: { edges: number[]; counts: number[] };
}

/** A small picture of a run's input: 8-bit planar (CHW) pixels, 1 (grey) or 3 (RGB) channels. */
export interface InputThumbnail {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** What one analysis produces. */
export interface AnalyzeOutput {
  /** The layer graph, edges carrying the shapes observed in this run. */
  graph: LayerGraph;
  /** The provider that really ran the nodes (from ONNX Runtime's profile). */
  provider: Provider;
  /** Why CUDA was not used, or which nodes fell back to the CPU. */
  providerNote?: string;
  timings: { sessionMs: number; runMs: number; statsMs: number };
  /** Without per-channel statistics where `packedChannels` holds them. */
  layers: LayerResult[];
  /** The layers' per-channel statistics, packed; `layers` then have empty `channels`. */
  packedChannels?: ChannelArrays;
  /** With a job's `mapsPath`: where `packedChannels.channelStats`' bytes also lie in that file. */
  channelStatsAt?: number;
  /** From the pool, where the child left the statistics in the maps file. */
  channelsInFile?: FileChannels;
  maps: FeatureMap[];
  /** With a job's `mapsPath`: where each map's bytes lie in that file (then `maps` is empty). */
  mapRanges?: FeatureMapRange[];
  filters: FilterSet[];
  /** The input as fed: its shape, and a thumbnail for a 4-D input of 1 or 3 channels. */
  input?: { shape: number[]; thumbnail?: InputThumbnail };
}

/** Progress of a job: a stage name and the fraction of the whole job done. */
export interface AnalyzeProgress {
  stage: 'load' | 'session' | 'input' | 'run' | 'stats';
  fraction: number;
}
