/**
 * CNN analysis: an ONNX model's layer graph, each layer's output statistics after a run, and
 * the requests that start a run.
 * @module
 */
import { z } from 'zod';
import { GraphDatasetSchema } from './dataset-layers';
import { EnvIdSchema, WinIdSchema } from './ids';

/** A model is named by the SHA-256 of its bytes, as 64 lowercase hex digits. */
export const ModelIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 as 64 lowercase hex digits');
export type ModelId = z.infer<typeof ModelIdSchema>;

/** A dimension: a number, or a symbolic name such as `batch` (null when unknown). */
export const DimSchema = z.union([z.number().int(), z.string(), z.null()]);

/** A named tensor's type as the model declares it (or as a run observed it). */
export const TensorInfoSchema = z.object({
  name: z.string(),
  /** ONNX element type name: `float`, `int64`, … */
  dtype: z.string(),
  shape: z.array(DimSchema).nullable(),
});
export type TensorInfo = z.infer<typeof TensorInfoSchema>;

/** An attribute value, simplified for display (tensors become a summary string). */
export const AttributeValueSchema = z.union([
  z.number(),
  z.string(),
  z.array(z.number()),
  z.array(z.string()),
]);

/** One layer (ONNX node). */
export const LayerNodeSchema = z.object({
  /** Unique in the graph: the node's name, or `op_<index>` when the model gives none. */
  id: z.string(),
  op: z.string(),
  /** Name-prefix groups, outermost first: `/layer1/layer1.0/conv1` → ['layer1', 'layer1.0']. */
  groups: z.array(z.string()),
  attributes: z.record(z.string(), AttributeValueSchema),
  /** Parameters held in initializers this node reads (weights, biases). */
  params: z.number().int(),
  /** Tensor names read (activations and graph inputs only; initializers are in `weights`). */
  inputs: z.array(z.string()),
  /** Weights read, e.g. a conv's weight and bias: initializers, and outputs of `folded` nodes. */
  weights: z.array(z.string()),
  outputs: z.array(z.string()),
  /** A weight-only node (e.g. an exporter's `Identity` of a bias): drawn in the raw view only. */
  folded: z.boolean().optional(),
});
export type LayerNode = z.infer<typeof LayerNodeSchema>;

/** A tensor flowing between layers: the graph's edges. */
export const EdgeSchema = z.object({
  tensor: z.string(),
  /** Producing node id, or null for a graph input. */
  from: z.string().nullable(),
  /** Consuming node ids; empty for a graph output nobody reads. */
  to: z.array(z.string()),
  dtype: z.string().nullable(),
  /** Declared shape, replaced by the observed one once a run has happened. */
  shape: z.array(DimSchema).nullable(),
});
export type Edge = z.infer<typeof EdgeSchema>;

/** The whole layer graph. Graph inputs and initializers are kept apart from layers. */
export const LayerGraphSchema = z.object({
  modelId: ModelIdSchema,
  irVersion: z.number().int(),
  opsets: z.record(z.string(), z.number().int()),
  producer: z.string(),
  inputs: z.array(TensorInfoSchema),
  outputs: z.array(TensorInfoSchema),
  initializers: z.array(z.object({ name: z.string(), dtype: z.string(), shape: z.array(z.number().int()), params: z.number().int() })),
  nodes: z.array(LayerNodeSchema),
  edges: z.array(EdgeSchema),
});
export type LayerGraph = z.infer<typeof LayerGraphSchema>;

/** Statistics of a tensor or one of its channels. `zeros` is a fraction; `nan`/`inf` are counts. */
export const TensorStatsSchema = z.object({
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  zeros: z.number(),
  nan: z.number().int(),
  inf: z.number().int(),
});
export type TensorStats = z.infer<typeof TensorStatsSchema>;

/** The output of one layer after a run. Channels are axis 1 of a 4-D NCHW tensor (else none). */
export const LayerResultSchema = z.object({
  node: z.string(),
  op: z.string(),
  tensor: z.string(),
  shape: z.array(z.number().int()),
  stats: TensorStatsSchema,
  channels: z.array(TensorStatsSchema),
});
export type LayerResult = z.infer<typeof LayerResultSchema>;

/** How long each step took, in milliseconds. */
export const AnalysisTimingsSchema = z.object({
  /** Waiting for a worker, moving job and result between processes, and worker work outside the steps below. */
  queueMs: z.number(),
  sessionMs: z.number(),
  runMs: z.number(),
  statsMs: z.number(),
  storeMs: z.number(),
  totalMs: z.number(),
});

/** The execution provider that really ran the model. */
export const ProviderSchema = z.enum(['cuda', 'cpu']);
export type Provider = z.infer<typeof ProviderSchema>;

/** What `viz.featureMaps` resolves with. */
export const FeatureMapsResultSchema = z.object({
  runId: z.string(),
  modelId: ModelIdSchema,
  env: EnvIdSchema,
  /** The layer-graph window that shows this run. */
  win: WinIdSchema,
  provider: ProviderSchema,
  timings: AnalysisTimingsSchema,
  layers: z.array(LayerResultSchema),
});
export type FeatureMapsResult = z.infer<typeof FeatureMapsResultSchema>;

/** Input preprocessing for an image input. */
export const PreprocessSchema = z
  .object({
    /** Resize to the model's input H×W (bilinear). @default true */
    resize: z.boolean(),
    /** Per-channel mean and std, applied after scaling: (x * scale - mean) / std. */
    mean: z.array(z.number()).min(1).max(4),
    std: z.array(z.number().positive()).min(1).max(4),
    /** @default 'rgb' */
    channelOrder: z.enum(['rgb', 'bgr']),
    /** Multiplies 8-bit pixels first. @default 1/255 */
    scale: z.number().positive(),
  })
  .partial()
  .strict();
export type Preprocess = z.infer<typeof PreprocessSchema>;

/** A float32 input tensor on the wire: little-endian bytes and a shape. */
export const TensorInputSchema = z
  .object({
    dtype: z.literal('float32'),
    shape: z.array(z.number().int().min(1).max(1 << 20)).min(1).max(8),
    data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be binary (Uint8Array or Buffer)' }),
  })
  .strict();

/** Start an analysis run of an uploaded model. */
export const AnalyzeRequestSchema = z
  .object({
    env: EnvIdSchema.optional(),
    modelId: ModelIdSchema,
    /** A tensor, or an encoded image to preprocess into the model's first input. */
    input: z.union([
      TensorInputSchema,
      z.object({ encoding: z.enum(['png', 'jpeg']), data: TensorInputSchema.shape.data }).strict(),
    ]),
    preprocess: PreprocessSchema.optional(),
    /** Keep layers whose name, or op type, matches one of these (exact op or name substring). */
    layers: z.array(z.string().max(1000)).max(1000).optional(),
    /** The most channels stored per layer. @default every channel, within `maxMapBytes` */
    maxChannels: z.number().int().min(1).max(4096).optional(),
    /** Bytes the stored maps may take; past it every layer keeps fewer channels. @default 64 MiB */
    maxMapBytes: z.number().int().min(1 << 16).max(2 ** 31).optional(),
    /** Class names of a classifier's outputs, shown beside its top-k. */
    labels: z.array(z.string().max(200)).max(100_000).optional(),
    /** Prefix of the windows created. @default 'fm' */
    winPrefix: z.string().max(100).optional(),
    /** The graph window that shows the run and keeps the window's runs. @default `<winPrefix>-graph` */
    win: WinIdSchema.optional(),
    /** Where the run sits in a series, e.g. the training step: the window's slider is ordered by it. */
    step: z.number().finite().optional(),
    /** A name for the run, e.g. 'epoch 3' or 'noisy input'. */
    label: z.string().max(200).optional(),
    /** The model's file name (the SDK sends the path's base name); the run keeps it beside the SHA-256. */
    modelName: z.string().max(255).optional(),
    /** Also give per-channel statistics in the result (MBs for a ResNet). @default false */
    channelStats: z.boolean().optional(),
    /** Names this job in its `job:progress` pushes; the SDK hears pushes only of jobs it named. */
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type AnalyzeRequest = z.infer<typeof AnalyzeRequestSchema>;

/** What a window keeps of each run: the slider's stops, and what a compare names. */
export const RunInfoSchema = z.object({
  runId: z.string(),
  modelId: ModelIdSchema,
  /** The model's file name as the request gave it, else null. */
  modelName: z.string().nullable(),
  step: z.number().nullable(),
  label: z.string().nullable(),
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
  /** The input's shape as fed to the model. */
  inputShape: z.array(z.number().int()),
  /** `GET` URL of a small PNG of the input, for 4-D inputs of 1 or 3 channels; else null. */
  thumbnail: z.string().nullable(),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;

/** How the run's input was made: an image through `preprocess`, or a tensor given as is. */
export const RunInputSchema = z.object({
  tensor: z.string(),
  /** True when the input was an encoded image the worker preprocessed. */
  image: z.boolean(),
  /** The preprocessing the request gave (its mean/std undo the normalisation for display). */
  preprocess: PreprocessSchema.optional(),
});
export type RunInput = z.infer<typeof RunInputSchema>;

/** One analysis run as a graph window shows it. */
export const AnalysisRunSchema = z.object({
  runId: z.string(),
  provider: ProviderSchema,
  timings: AnalysisTimingsSchema,
  layers: z.array(LayerResultSchema),
  /** The model's input and how it was made (runs stored before it was recorded lack it). */
  input: RunInputSchema.optional(),
  /** Class names from the request's `labels`. */
  labels: z.array(z.string()).optional(),
});
export type AnalysisRun = z.infer<typeof AnalysisRunSchema>;

/** A layer-graph pane: the model's graph and, after `featureMaps`, the run it shows. */
export const GraphContentSchema = z.object({
  kind: z.literal('graph'),
  graph: LayerGraphSchema,
  run: AnalysisRunSchema.nullable(),
  /** The runs the window keeps, oldest first (the last is `run`); absent for a graph without runs. */
  runs: z.array(RunInfoSchema).optional(),
  /** Statistics of the model over a dataset (`viz.featureMaps(model, inputs[])`), when one was run. */
  dataset: GraphDatasetSchema.optional(),
});
export type GraphContent = z.infer<typeof GraphContentSchema>;

/** Show a model's layer graph (no run) in a 'graph' window: `model:graph`. */
export const ModelGraphRequestSchema = z
  .object({
    env: EnvIdSchema.optional(),
    modelId: ModelIdSchema,
    /** @default the env's graph window of this model if it has one, else 'graph' */
    win: WinIdSchema.optional(),
    /** The model's file name, for the pane's title (the SDK sends the path's base name). */
    modelName: z.string().max(255).optional(),
  })
  .strict();
export type ModelGraphRequest = z.infer<typeof ModelGraphRequestSchema>;

/** Progress of an upload or an analysis job, pushed as `job:progress`. */
export const JobProgressSchema = z.object({
  jobId: z.string(),
  modelId: ModelIdSchema,
  env: EnvIdSchema,
  /** `queued`, the worker's `load`, `session`, `input`, `run`, `stats`, then `store` and `done`. */
  stage: z.string(),
  /** 0 to 1, of the whole job. */
  fraction: z.number().min(0).max(1),
  /** An attribution's forward passes: planned (`total`, known before the first) and done. */
  passes: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

/** The 201 body of `PUT /api/models/:modelId` (and the 200 of a repeat upload). */
export const ModelUploadReplySchema = z.object({
  modelId: ModelIdSchema,
  bytes: z.number().int(),
  /** False when the server already had the model. */
  created: z.boolean(),
  graph: z.object({
    nodes: z.number().int(),
    params: z.number().int(),
    inputs: z.array(TensorInfoSchema),
    outputs: z.array(TensorInfoSchema),
  }),
});
export type ModelUploadReply = z.infer<typeof ModelUploadReplySchema>;

/**
 * `GET /api/runs/:runId/maps/:tensor`: a feature map's header. `url` serves uint8 values, each
 * channel quantised over [channelMin[c], channelMax[c]]; `url?from=a&count=n` serves a page of
 * channels. A flat map [N] of 2 to 4096 finite values has a range per value, so it is exact.
 */
export const FeatureMapMetaSchema = z.object({
  tensor: z.string(),
  /** [C, H, W] of batch item 0 (C: every channel unless the run's maxChannels or maxMapBytes cut it), or [N] for 1-D/2-D outputs. */
  shape: z.array(z.number().int()),
  channelMin: z.array(z.number()),
  channelMax: z.array(z.number()),
  url: z.string(),
});
export type FeatureMapMeta = z.infer<typeof FeatureMapMetaSchema>;

/** `GET /api/runs/:runId/filters/:node`: a conv layer's weights, quantised over [min, max]. */
export const FilterMetaSchema = z.object({
  node: z.string(),
  /** [O, I, kh, kw] */
  shape: z.array(z.number().int()),
  min: z.number(),
  max: z.number(),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number()) }),
  url: z.string(),
});
export type FilterMeta = z.infer<typeof FilterMetaSchema>;

/** The ONNX Runtime part of `GET /api/status`. */
export interface RuntimeStatus {
  /** onnxruntime-node's version. */
  onnxruntime: string;
  providers: {
    /** Execution providers this server can use, e.g. ['cpu'] or ['cuda', 'cpu']. */
    available: string[];
    /** The provider that ran the last job, null before the first. */
    lastUsed: Provider | null;
    /** The GPU's name when the last job ran on CUDA, else null. */
    gpu: string | null;
  };
  /** With a job queue (`--redis-url`): the remote workers pulling from it, and its jobs not yet taken. */
  queue?: { waiting: number; workers: RemoteWorkerStatus[]; error?: string };
}

/** A `cnnvis-worker` connected to the job queue, as `GET /api/status` lists it. */
export interface RemoteWorkerStatus {
  /** `host:pid`, unique while it runs. */
  id: string;
  /** Execution providers it can use, e.g. ['cuda', 'cpu']; `--provider cpu` makes it ['cpu']. */
  available: string[];
  /** The provider that ran its last job (ONNX Runtime's own report), null before the first. */
  lastUsed: Provider | null;
  /** Its GPU's name, null without one. */
  gpu: string | null;
  /** Jobs it is running, and jobs it has taken that wait for one of its processes. */
  running: number;
  queued: number;
}
