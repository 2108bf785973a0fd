/**
 * The ways a window changes: the same op is sent, stored and pushed to browsers as a delta.
 * @module
 */
import { z } from 'zod';
import { MatrixSchema, MAX_POINTS_PER_MESSAGE, XValueSchema, YValueSchema } from './content';
import { WindowOptsSchema } from './options';

/** One point's marker colour: a CSS colour, or a number on the trace's colorscale. */
export const MarkerColorSchema = z.union([z.string().max(100), z.number(), z.null()]);

/** What the length checks of {@link TracePointsSchema} read of a failing input. */
type Points = { x: unknown[]; y: unknown[]; color?: unknown[] };

/** Points for one trace, picked by `name` (created when unknown) or by `index` (must exist). */
export const TracePointsSchema = z
  .object({
    name: z.string().max(1000).optional(),
    index: z.number().int().min(0).max(999).optional(),
    x: z.array(XValueSchema).max(MAX_POINTS_PER_MESSAGE),
    y: z.array(YValueSchema).max(MAX_POINTS_PER_MESSAGE),
    /** Per-point marker colours (plotly `marker.color`), one per new point, as Visdom's. */
    color: z.array(MarkerColorSchema).max(MAX_POINTS_PER_MESSAGE).optional(),
  })
  .strict()
  // Plain predicates, their messages built only on failure: zod's compiled path calls them as they are.
  .refine((t) => (t.name === undefined) !== (t.index === undefined), {
    path: ['name'],
    message: 'give exactly one of name or index',
  })
  .refine((t) => t.x.length === t.y.length, {
    path: ['y'],
    error: (iss) => {
      const t = iss.input as Points;
      return `has ${t.y.length} values but x has ${t.x.length}`;
    },
  })
  .refine((t) => t.color === undefined || t.color.length === t.x.length, {
    path: ['color'],
    error: (iss) => {
      const t = iss.input as Points;
      return `has ${t.color?.length} colours but x has ${t.x.length} points`;
    },
  });
export type TracePoints = z.infer<typeof TracePointsSchema>;
export type MarkerColor = z.infer<typeof MarkerColorSchema>;

const traces = z.array(TracePointsSchema).min(1).max(1000);

/** Add points to the end of traces. */
export const AppendOpSchema = z.object({ type: z.literal('append'), traces }).strict();
/** Replace the points of traces (a trace named but missing is created). */
export const ReplaceOpSchema = z.object({ type: z.literal('replace'), traces }).strict();
/** Remove a trace by name. */
export const RemoveOpSchema = z
  .object({ type: z.literal('remove'), name: z.string().max(1000) })
  .strict();

/** Grow a heatmap on one edge. For columns, `z` has one row per existing row. */
export const HeatmapEdgeOpSchema = z
  .object({
    type: z.literal('heatmap'),
    edge: z.enum(['appendRow', 'appendColumn', 'prependRow', 'prependColumn']),
    z: MatrixSchema.min(1),
  })
  .strict();
/** Add text to the end of a text pane. */
export const AppendTextOpSchema = z
  .object({ type: z.literal('appendText'), text: z.string().max(10_000_000) })
  .strict();
/** Merge display options into the window's. */
export const OptsOpSchema = z
  .object({ type: z.literal('opts'), opts: WindowOptsSchema })
  .strict();

/** Every update op, switched on `type`. */
export const UpdateOpSchema = z.discriminatedUnion('type', [
  AppendOpSchema,
  ReplaceOpSchema,
  RemoveOpSchema,
  HeatmapEdgeOpSchema,
  AppendTextOpSchema,
  OptsOpSchema,
]);
export type UpdateOp = z.infer<typeof UpdateOpSchema>;
