/**
 * A layer's statistics over a dataset, as `dataset:run` answers them and a graph window keeps them.
 * @module
 */
import { z } from 'zod';

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
  /** Per channel, the mean activation of each of `top`'s inputs. */
  topMean: z.array(z.array(z.number())),
});
export type DatasetLayerStats = z.infer<typeof DatasetLayerStatsSchema>;

/** The last `dataset:run` of a graph window's model (`GraphContent.dataset`). */
export const GraphDatasetSchema = z.object({
  modelId: z.string(),
  inputs: z.number().int(),
  topK: z.number().int(),
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
  layers: z.array(DatasetLayerStatsSchema),
  /** Input index → a small PNG of the input (a data URL), for the inputs in some channel's top-k (4-D inputs of 1 or 3 channels). */
  thumbnails: z.record(z.string(), z.string()),
});
export type GraphDataset = z.infer<typeof GraphDatasetSchema>;
