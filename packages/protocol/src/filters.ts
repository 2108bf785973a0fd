/**
 * `model:filters` and `POST /api/models/:modelId/filters`: an uploaded model's conv filters as
 * image grids and weight histograms, read from the model file.
 * @module
 */
import { z } from 'zod';
import { ModelIdSchema } from './analysis';
import { EnvIdSchema, WinIdSchema } from './ids';

/** Show the filters of an uploaded model's conv layers. */
export const FiltersRequestSchema = z
  .object({
    env: EnvIdSchema.optional(),
    modelId: ModelIdSchema,
    /**
     * A node name or module path (`conv1` for `/conv1/Conv`), else a part of conv layers' names,
     * or their op. @default every conv layer
     */
    layer: z.string().min(1).max(1000).optional(),
    /** Window ids are `<prefix>-<layer>` and `<prefix>-<layer>-hist`. @default 'filters' */
    winPrefix: z.string().min(1).max(100).optional(),
    /** The most output filters shown per layer. @default 64 */
    maxFilters: z.number().int().min(1).max(4096).optional(),
    /** The most input channels shown per filter (3 inputs are shown as one colour tile). @default 8 */
    maxInputs: z.number().int().min(1).max(4096).optional(),
    /** The model's file name, for the panes' titles (the SDK sends the path's base name). */
    modelName: z.string().max(255).optional(),
  })
  .strict();
export type FiltersRequest = z.infer<typeof FiltersRequestSchema>;

/** One conv layer's filters as shown. */
export const LayerFiltersSchema = z.object({
  node: z.string(),
  /** [O, I, kh, kw] */
  shape: z.array(z.number().int()),
  min: z.number(),
  max: z.number(),
  /** The image grid's window. */
  win: WinIdSchema,
  /** The weight histogram's window. */
  histogramWin: WinIdSchema,
});
export type LayerFilters = z.infer<typeof LayerFiltersSchema>;

/** What `model:filters` answers (and `viz.filters` resolves with). */
export const FiltersResultSchema = z.object({
  modelId: ModelIdSchema,
  env: EnvIdSchema,
  layers: z.array(LayerFiltersSchema),
});
export type FiltersResult = z.infer<typeof FiltersResultSchema>;
