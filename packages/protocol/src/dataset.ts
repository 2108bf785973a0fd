/**
 * `dataset:run` (`viz.featureMaps` with a list of inputs): per-layer, per-channel statistics
 * over many inputs.
 * @module
 */
import { z } from 'zod';
import { AnalyzeRequestSchema, ModelIdSchema, ProviderSchema, TensorInputSchema } from './analysis';
import { DatasetLayerStatsSchema } from './dataset-layers';
import { EnvIdSchema, WinIdSchema } from './ids';

/** Statistics of a model's layers over a list of inputs. */
export const DatasetRequestSchema = z
  .object({
    env: EnvIdSchema.optional(),
    modelId: ModelIdSchema,
    /**
     * The inputs in one binary (socket.io refuses more than ten): a float32 tensor `[N, …]`, or
     * PNG/JPEG files back to back with their lengths.
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
    /** The graph window that keeps the statistics, so the explorer colours layers by them. @default the env's graph window of this model, else 'graph' */
    graphWin: WinIdSchema.optional(),
    /** The model's file name, for the panes' titles (the SDK sends the path's base name). */
    modelName: AnalyzeRequestSchema.shape.modelName,
    jobId: AnalyzeRequestSchema.shape.jobId,
  })
  .strict();
export type DatasetRequest = z.infer<typeof DatasetRequestSchema>;

/** What `viz.featureMaps(model, inputs[])` resolves with. */
export const DatasetResultSchema = z.object({
  modelId: ModelIdSchema,
  env: EnvIdSchema,
  win: WinIdSchema,
  deadWin: WinIdSchema,
  /** The model's graph window, which keeps these statistics to colour its layers by (see GraphDatasetSchema). */
  graphWin: WinIdSchema,
  inputs: z.number().int(),
  batch: z.number().int(),
  runs: z.number().int(),
  provider: ProviderSchema,
  timings: z.object({ queueMs: z.number(), sessionMs: z.number(), runMs: z.number(), statsMs: z.number(), totalMs: z.number() }),
  layers: z.array(DatasetLayerStatsSchema),
});
export type DatasetResult = z.infer<typeof DatasetResultSchema>;
