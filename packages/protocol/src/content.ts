/**
 * What a window shows: as a client sends it (images as binary) and as read back (images as URLs).
 * @module
 */
import { z } from 'zod';
import { GraphContentSchema } from './analysis';
import { NetworkContentSchema, PropertiesContentSchema } from './panes';

/** The most points a single trace update may carry. */
export const MAX_POINTS_PER_MESSAGE = 1_000_000;

/** An x value: a number, or a string for categories and dates. */
export const XValueSchema = z.union([z.number(), z.string().max(1000)]);
/** A y value; `null` leaves a gap in a line. NaN and Infinity are rejected. */
export const YValueSchema = z.union([z.number(), z.string().max(1000), z.null()]);
/** A heatmap matrix, row-major: `z[row][col]`. */
export const MatrixSchema = z.array(z.array(z.number().nullable()).max(100_000)).max(100_000);

/** The deepest a passed-through value may nest: thousands would overflow JSON.stringify's stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests more than `max` levels deep, walked with an explicit stack so it cannot
 * overflow on what it is meant to catch.
 * @example nestsDeeperThan([[[1]]], 2) // → true
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const isNode = (v: unknown): v is object => typeof v === 'object' && v !== null && !ArrayBuffer.isView(v);
  if (!isNode(value)) return false;
  // Only containers go on the stack: a plot's long number arrays cost one pass, no allocation.
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [object, number];
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (isNode(child)) stack.push([child, depth + 1]);
  }
  return false;
}

const JSON_VALUE = z.json();

/**
 * Any JSON value (plotly attributes passed through). z.json() runs inside the refinement because
 * a recursive member would stop zod compiling the create request.
 */
export const JsonValueSchema = z.custom<z.core.util.JSONType>().superRefine((value, ctx) => {
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    ctx.addIssue({ code: 'custom', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` });
    return;
  }
  const parsed = JSON_VALUE.safeParse(value);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
});

/**
 * One plotly trace, identified by `name`; any plotly attribute cnnvis does not read (as Visdom
 * clients send them) goes in `plotly`, merged in as is.
 */
export const TraceSchema = z
  .object({
    name: z.string().max(1000),
    /** A plotly trace type, e.g. `scatter`, `bar`, `heatmap` or `scattergl`. */
    type: z.string().regex(/^[a-z][a-z0-9]{0,31}$/, 'must be a plotly trace type such as scatter'),
    mode: z.enum(['lines', 'markers', 'lines+markers']).optional(),
    x: z.array(XValueSchema).max(MAX_POINTS_PER_MESSAGE).optional(),
    y: z.array(YValueSchema).max(MAX_POINTS_PER_MESSAGE).optional(),
    z: MatrixSchema.optional(),
    /** Bar and histogram orientation. */
    orientation: z.enum(['v', 'h']).optional(),
    /** Histogram bin count. */
    nbinsx: z.number().int().min(1).max(10_000).optional(),
    /** Other plotly trace attributes, passed through. */
    plotly: z.record(z.string(), JsonValueSchema).optional(),
  })
  .strict();
export type Trace = z.infer<typeof TraceSchema>;

/** A plot pane: one or more plotly traces, and optionally plotly layout attributes to merge in. */
export const PlotContentSchema = z
  .object({
    kind: z.literal('plot'),
    traces: z.array(TraceSchema).max(1000),
    layout: z.record(z.string(), JsonValueSchema).optional(),
  })
  .strict();
export type PlotContent = z.infer<typeof PlotContentSchema>;

/** A text pane: HTML or plain text. */
export const TextContentSchema = z
  .object({ kind: z.literal('text'), text: z.string().max(10_000_000) })
  .strict();
export type TextContent = z.infer<typeof TextContentSchema>;

// z.custom, not z.instanceof: instanceof would type the field Uint8Array<ArrayBuffer>, which
// rejects Buffers and typed-array views at compile time although they are fine at run time.
const binary = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be binary (Uint8Array or Buffer)' });
const dim = z.number().int().min(1).max(16_384);
const pixels = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * A raw 8-bit image as it travels: CHW with 1, 3 or 4 channels, or HW for grey.
 * `data.length` must equal the product of `shape`.
 */
export const RawImageInputSchema = z
  .object({
    encoding: z.literal('raw'),
    shape: z.union([
      z.tuple([z.union([z.literal(1), z.literal(3), z.literal(4)]), dim, dim]),
      z.tuple([dim, dim]),
    ]),
    data: binary,
    caption: z.string().max(10_000).optional(),
  })
  .strict()
  // A plain predicate, its message built only on failure: zod's compiled path calls it as is.
  .refine((img) => img.data.length === pixels(img.shape), {
    path: ['data'],
    error: (iss) => {
      const img = iss.input as { shape: number[]; data: Uint8Array };
      return `has ${img.data.length} bytes but shape [${img.shape.join(', ')}] needs ${pixels(img.shape)}`;
    },
  });

/** An already encoded PNG or JPEG image. */
export const EncodedImageInputSchema = z
  .object({
    encoding: z.enum(['png', 'jpeg']),
    data: binary,
    caption: z.string().max(10_000).optional(),
  })
  .strict();

/** Switched on `encoding`, so a bad image is told what its own encoding needs. */
export const ImageInputSchema = z.discriminatedUnion('encoding', [RawImageInputSchema, EncodedImageInputSchema]);
export type ImageInput = z.infer<typeof ImageInputSchema>;

/** An image pane as sent: one image, or several laid out as a grid. */
export const ImageContentInputSchema = z
  .object({
    kind: z.literal('image'),
    images: z.array(ImageInputSchema).min(1).max(4096),
    /** Images per row in a grid. @default 8 */
    nrow: z.number().int().min(1).max(4096).optional(),
    /** Pixels between grid cells. @default 2 */
    padding: z.number().int().min(0).max(256).optional(),
    /** Show the images one at a time with a slider (an image history), this one first. */
    selected: z.number().int().min(0).optional(),
  })
  .strict();
export type ImageContentInput = z.infer<typeof ImageContentInputSchema>;

/** An image as read back: a URL to fetch it from, never inline bytes. */
export const ImageRefSchema = z.object({
  url: z.string(),
  mime: z.enum(['image/png', 'image/jpeg']),
  width: z.number().int(),
  height: z.number().int(),
  caption: z.string().optional(),
});
export type ImageRef = z.infer<typeof ImageRefSchema>;

/** An image pane as read back. */
export const ImageContentSchema = z.object({
  kind: z.literal('image'),
  images: z.array(ImageRefSchema),
  nrow: z.number().int(),
  padding: z.number().int(),
  /** Present for an image history: the image shown, the others behind a slider. */
  selected: z.number().int().optional(),
});
export type ImageContent = z.infer<typeof ImageContentSchema>;

/** Content as a client sends it to create or replace a window. */
export const ContentInputSchema = z.discriminatedUnion('kind', [
  PlotContentSchema,
  ImageContentInputSchema,
  TextContentSchema,
  PropertiesContentSchema,
  NetworkContentSchema,
]);
export type ContentInput = z.infer<typeof ContentInputSchema>;

/** Content as the server reports it. Graph panes are made by the server from an analysis run. */
export const ContentSchema = z.discriminatedUnion('kind', [
  PlotContentSchema,
  ImageContentSchema,
  TextContentSchema,
  GraphContentSchema,
  PropertiesContentSchema,
  NetworkContentSchema,
]);
export type Content = z.infer<typeof ContentSchema>;

/** Grid defaults shared by the SDK, the server and the UI. */
export const IMAGE_GRID_DEFAULTS = { nrow: 8, padding: 2 } as const;
