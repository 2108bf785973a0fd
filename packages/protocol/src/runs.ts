/**
 * Kept runs of a graph window, read back whole or compared layer by layer.
 * @module
 */
import { z } from 'zod';
import { AnalysisRunSchema, LayerGraphSchema, RunInfoSchema } from './analysis';
import { EnvIdSchema, WinIdSchema } from './ids';

/** `GET /api/runs/:runId`: one kept run with the graph of its model, as the slider shows it. */
export const RunDetailSchema = z.object({
  env: EnvIdSchema,
  win: WinIdSchema,
  info: RunInfoSchema,
  graph: LayerGraphSchema,
  run: AnalysisRunSchema,
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

/** A run to compare: its id, or its `step` among the runs of the request's window (the latest with that step). */
export const RunRefSchema = z.union([z.string().min(1).max(100), z.number().finite()]);
export type RunRef = z.infer<typeof RunRefSchema>;

/** `run:compare`: compare run `a` (the reference) with run `b`. */
export const CompareRequestSchema = z
  .object({
    a: RunRefSchema,
    b: RunRefSchema,
    /** Where steps are looked up. @default the client's env */
    env: EnvIdSchema.optional(),
    /** The graph window whose runs steps name; needed only when `a` or `b` is a step. */
    win: WinIdSchema.optional(),
    /** How many of the channels that changed most to list per layer. @default 5 */
    topChannels: z.number().int().min(0).max(64).optional(),
  })
  .strict();
export type CompareRequest = z.infer<typeof CompareRequestSchema>;

/** A channel's change between the two runs. */
export const ChannelChangeSchema = z.object({
  channel: z.number().int(),
  meanAbsDiff: z.number(),
  /** ‖A_c − B_c‖ / ‖A_c‖; null when A_c is all zeros and B_c is not. */
  relL2: z.number().nullable(),
});
export type ChannelChange = z.infer<typeof ChannelChangeSchema>;

/** One layer matched in both runs (same node and output shape), over their stored 8-bit maps. */
export const LayerCompareSchema = z.object({
  /** The node's name. */
  id: z.string(),
  op: z.string(),
  tensor: z.string(),
  shape: z.array(z.number().int()),
  /** A·B / (‖A‖‖B‖): 1 when equal; null when one of them is all zeros and the other is not. */
  cosine: z.number().nullable(),
  /** ‖A − B‖ / ‖A‖; null when A is all zeros and B is not. */
  relL2: z.number().nullable(),
  meanAbsDiff: z.number(),
  /** The channels with the largest mean |A − B|, largest first. */
  channels: z.array(ChannelChangeSchema),
  /** ‖W_A − W_B‖ / ‖W_A‖ over the node's float weights, when the runs' models differ and both hold them. */
  weightRelL2: z.number().nullable().optional(),
});
export type LayerCompare = z.infer<typeof LayerCompareSchema>;

/** A layer of one run that has no match in the other, and why. */
export const UnmatchedLayerSchema = z.object({
  id: z.string(),
  tensor: z.string(),
  /** The run that has it. */
  run: z.enum(['a', 'b']),
  reason: z.string(),
});
export type UnmatchedLayer = z.infer<typeof UnmatchedLayerSchema>;

/** `GET /api/runs/:a/compare/:b` and `run:compare`'s answer. */
export const CompareResultSchema = z.object({
  a: RunInfoSchema,
  b: RunInfoSchema,
  /** Matched layers in run a's order. */
  layers: z.array(LayerCompareSchema),
  unmatched: z.array(UnmatchedLayerSchema),
});
export type CompareResult = z.infer<typeof CompareResultSchema>;
