/**
 * `dataset:run` (socket event; `viz.featureMaps` with a list of inputs):
 * per-layer, per-channel statistics over many inputs: range, mean, std,
 * zeros, dead channels, saturation, NaN/Inf, and the top-k inputs of each channel.
 * @module
 */
import { z } from 'zod';
import { AnalyzeRequestSchema, ModelIdSchema, ProviderSchema, TensorInputSchema } from './analysis';
import { EnvIdSchema, WinIdSchema } from './ids';

/** Statistics of a model's layers over a list of inputs. */
export const DatasetRequestSchema = z
  .object({
    env: EnvIdSchema.optional(),
    modelId: ModelIdSchema,
    /**
     * The inputs, in one binary (socket.io refuses messages of more than ten):
     * a float32 tensor whose axis 0 runs over the inputs (`[N, C, H, W]`), or
     * PNG/JPEG files back to back with each one's length in bytes.
     */
    inputs: z.union([
      TensorInputSchema,
      z.object({ encoded: TensorInputSchema.shape.data, lengths: z.array(z.number().int().min(1)).min(1).max(100_000) }).strict(),
    ]),
    preprocess: AnalyzeRequestSchema.shape.preprocess,
    /** Keep layers whose name contains, or whose op equals, one of these. @default every layer */
    layers: AnalyzeRequestSchema.shape.layers,
    /** Inputs per forward pass where the model's batch dimension is dynamic (fixed: one). @default 16 */
    batch: z.number().int().min(1).max(1024).optional(),
    /** Inputs kept per channel, those with the highest mean activation. @default 5 */
    topK: z.number().int().min(1).max(64).optional(),
    /** The text pane listing dead and saturated channels; `<win>-dead` plots each layer's dead fraction. @default 'dataset' */
    win: WinIdSchema.optional(),
    jobId: AnalyzeRequestSchema.shape.jobId,
  })
  .strict();
export type DatasetRequest = z.infer<typeof DatasetRequestSchema>;

const perChannel = z.array(z.number().nullable());

/** One layer over every input; arrays hold one value per channel (axis 1), null where a channel had no finite value. */
export const DatasetLayerStatsSchema = z.object({
  node: z.string(),
  op: z.string(),
  tensor: z.string(),
  /** One input's output shape, without the batch axis. */
  shape: z.array(z.number().int()),
  min: perChannel,
  max: perChannel,
  mean: perChannel,
  std: perChannel,
  /** Fraction of the channel's values that are exactly 0. */
  zeros: z.array(z.number()),
  /** Fraction of inputs on which the channel is 0 everywhere. */
  dead: z.array(z.number()),
  /** Channels dead on every input. */
  deadChannels: z.array(z.number().int()),
  /** Clip (Relu6), Sigmoid, HardSigmoid, Tanh: the bounds and the fraction of values at one. */
  bounds: z.tuple([z.number().nullable(), z.number().nullable()]).optional(),
  saturated: z.array(z.number()).optional(),
  nan: z.array(z.number().int()),
  inf: z.array(z.number().int()),
  /** Per channel, the indices of the inputs with the highest mean activation, highest first. */
  top: z.array(z.array(z.number().int())),
});
export type DatasetLayerStats = z.infer<typeof DatasetLayerStatsSchema>;

/** What `viz.featureMaps(model, inputs[])` resolves with. */
export const DatasetResultSchema = z.object({
  modelId: ModelIdSchema,
  env: EnvIdSchema,
  win: WinIdSchema,
  deadWin: WinIdSchema,
  inputs: z.number().int(),
  batch: z.number().int(),
  runs: z.number().int(),
  provider: ProviderSchema,
  timings: z.object({ queueMs: z.number(), sessionMs: z.number(), runMs: z.number(), statsMs: z.number(), totalMs: z.number() }),
  layers: z.array(DatasetLayerStatsSchema),
});
export type DatasetResult = z.infer<typeof DatasetResultSchema>;
