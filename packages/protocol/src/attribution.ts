/**
 * `attribution:run` and `POST /api/attributions`: where a model looks when it predicts a class,
 * from forward passes alone (occlusion, Score-CAM).
 * @module
 */
import { z } from 'zod';
import { AnalyzeRequestSchema, ModelIdSchema, ProviderSchema } from './analysis';
import { EnvIdSchema, WinIdSchema } from './ids';

export const ATTRIBUTION_METHODS = ['occlusion', 'score-cam'] as const;

const side = z.number().int().min(1).max(16_384);

/** Explain one input's prediction: a kept run's (`runId`), or a model's on an input given here. */
export const AttributionRequestSchema = z
  .object({
    env: EnvIdSchema.optional(),
    /**
     * A kept run to explain, in place of `modelId`, `input` and `preprocess`; the heatmap is kept
     * with the run. `env` and `labels` default to the run's.
     */
    runId: z.string().min(1).max(100).optional(),
    modelId: ModelIdSchema.optional(),
    input: AnalyzeRequestSchema.shape.input.optional(),
    preprocess: AnalyzeRequestSchema.shape.preprocess,
    /** `occlusion`: the target score's drop under a sliding patch; `score-cam`: a conv layer's maps weighted by the scores of the inputs they mask. */
    method: z.enum(ATTRIBUTION_METHODS),
    /** The output index explained. @default the input's top-1 class */
    target: z.number().int().min(0).max(1 << 24).optional(),
    /** Score-CAM's layer: a node id or tensor name, or part of one. @default the last conv with a spatial map, past its activation (and a residual add) */
    layer: z.string().min(1).max(1000).optional(),
    /** Occlusion's square patch, in input pixels. @default a seventh of the shorter side (32 at 224²) */
    patch: side.optional(),
    /** Occlusion's step. @default half the patch */
    stride: side.optional(),
    /** Occlusion's fill value, in the model's input units. @default 0 */
    fill: z.number().finite().optional(),
    /** Inputs per forward pass where the model's batch dimension is dynamic (fixed: one). @default 16 */
    batch: z.number().int().min(1).max(1024).optional(),
    /** Refuse a job that would run more perturbed inputs than this. @default 4096 */
    maxPasses: z.number().int().min(1).max(1 << 20).optional(),
    /** Class names, so the result and the pane name the target. */
    labels: AnalyzeRequestSchema.shape.labels,
    /** The overlay's window; the heatmap pane is `<win>-heatmap`. @default 'attribution' */
    win: WinIdSchema.optional(),
    /** Names this job in its `job:progress` pushes (see AnalyzeRequest's `jobId`). */
    jobId: AnalyzeRequestSchema.shape.jobId,
  })
  .strict()
  .superRefine((r, ctx) => {
    const given = (['modelId', 'input', 'preprocess'] as const).filter((k) => r[k] !== undefined);
    if (r.runId !== undefined) {
      for (const k of given) ctx.addIssue({ code: 'custom', path: [k], message: 'must be left out with runId (the run gives it)' });
      return;
    }
    for (const k of ['modelId', 'input'] as const) {
      if (r[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'is required (or name a kept run with runId)' });
    }
  });
export type AttributionRequest = z.infer<typeof AttributionRequestSchema>;

/** What `viz.attribution` resolves with. */
export const AttributionResultSchema = z.object({
  /** The kept run the heatmap is kept with, when the request named one. */
  runId: z.string().optional(),
  modelId: ModelIdSchema,
  env: EnvIdSchema,
  /** The image pane: the input, the input with the heatmap over it, the heatmap. */
  win: WinIdSchema,
  /** The heatmap as a plot pane, with its values. */
  heatmapWin: WinIdSchema,
  method: z.enum(ATTRIBUTION_METHODS),
  target: z.number().int(),
  /** The target's class name, from `labels`. */
  targetLabel: z.string().optional(),
  /** The target's score on the unchanged input. */
  score: z.number(),
  /** Perturbed inputs run (one forward pass each), the session runs they took, and inputs per run. */
  passes: z.number().int(),
  runs: z.number().int(),
  batch: z.number().int(),
  /** `[H, W]`, the input's spatial size. */
  shape: z.tuple([z.number().int(), z.number().int()]),
  /** Row-major H·W values: occlusion's mean score drop per pixel, or Score-CAM's map. */
  heatmap: z.array(z.number()),
  /** Score-CAM: the layer's tensor, each channel's score (the target's, on the input it masks) and weight (the scores' softmax). */
  layer: z.string().optional(),
  scores: z.array(z.number()).optional(),
  weights: z.array(z.number()).optional(),
  /** Occlusion's patch, stride and fill as used. */
  patch: z.number().int().optional(),
  stride: z.number().int().optional(),
  fill: z.number().optional(),
  provider: ProviderSchema,
  timings: z.object({ queueMs: z.number(), sessionMs: z.number(), runMs: z.number(), storeMs: z.number(), totalMs: z.number() }),
});
export type AttributionResult = z.infer<typeof AttributionResultSchema>;

/** `GET /api/runs/:runId/attributions`: the heatmaps kept with a run, oldest first (the newest MAX_KEPT_ATTRIBUTIONS, see occlusion-plan.ts). */
export const KeptAttributionSchema = AttributionResultSchema.pick({
  method: true, target: true, targetLabel: true, score: true, passes: true, shape: true, heatmap: true, layer: true, patch: true, stride: true, fill: true,
}).extend({
  /** Numbers the run's attributions, oldest first. */
  id: z.number().int(),
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
});
export type KeptAttribution = z.infer<typeof KeptAttributionSchema>;
