/**
 * Display options of a window, strict so a misspelt option is rejected by name.
 * @module
 */
import { z } from 'zod';

const finite = z.number().finite();

/** Options every window kind understands, plus the plot-specific ones. */
export const WindowOptsSchema = z
  .object({
    /** Pane title. */
    title: z.string().max(1000),
    /** X axis label (plots). */
    xlabel: z.string().max(1000),
    /** Y axis label (plots). */
    ylabel: z.string().max(1000),
    /** Trace names, in trace order; also turns the legend on. */
    legend: z.array(z.string().max(1000)).max(10_000),
    /** Show the legend even with one trace. */
    showlegend: z.boolean(),
    /** Caption under an image or image grid. */
    caption: z.string().max(10_000),
    /** Pane width in pixels. */
    width: z.number().int().min(50).max(10_000),
    /** Pane height in pixels. */
    height: z.number().int().min(50).max(10_000),
    /** Plotly colorscale for heatmaps, e.g. `Viridis`. */
    colormap: z.string().max(100),
    /** Axis types. */
    xtype: z.enum(['linear', 'log', 'date', 'category']),
    ytype: z.enum(['linear', 'log', 'date', 'category']),
    /** Axis ranges as [min, max]. */
    xrange: z.tuple([finite, finite]),
    yrange: z.tuple([finite, finite]),
    /** Marker size for scatter and line markers. */
    markersize: finite.positive().max(1000),
    /** Fixed heatmap value range. */
    zmin: finite,
    zmax: finite,
    /** Stack bars instead of grouping them. */
    stacked: z.boolean(),
  })
  .partial()
  .strict();

/** Display options of a window; every field is optional. */
export type WindowOpts = z.infer<typeof WindowOptsSchema>;
