/**
 * Property-list and network panes, mostly from Visdom clients, so their fields follow Visdom's.
 * @module
 */
import { z } from 'zod';

/** One editable property; edits come back to the client as `PropertyUpdate` events. */
export const PropertySchema = z
  .object({
    type: z.enum(['text', 'number', 'button', 'checkbox', 'select']),
    name: z.string().max(1000),
    value: z.union([z.string().max(100_000), z.number(), z.boolean()]),
    /** Choices of a `select`. */
    values: z.array(z.string().max(1000)).max(1000).optional(),
  })
  .strict();
export type Property = z.infer<typeof PropertySchema>;

/** A properties pane. */
export const PropertiesContentSchema = z
  .object({ kind: z.literal('properties'), properties: z.array(PropertySchema).max(1000) })
  .strict();
export type PropertiesContent = z.infer<typeof PropertiesContentSchema>;

/** A network (node-link graph) pane. Edges name nodes by index. */
export const NetworkContentSchema = z
  .object({
    kind: z.literal('network'),
    nodes: z
      .array(
        z
          .object({
            name: z.union([z.string().max(1000), z.number()]),
            label: z.string().max(1000).optional(),
            /** A group, drawn as a colour. */
            club: z.union([z.string().max(1000), z.number()]).optional(),
          })
          .strict(),
      )
      .max(10_000),
    edges: z
      .array(
        z
          .object({
            source: z.number().int().min(0),
            target: z.number().int().min(0),
            label: z.string().max(1000).optional(),
          })
          .strict(),
      )
      .max(100_000),
    directed: z.boolean(),
    showEdgeLabels: z.boolean(),
    showVertexLabels: z.boolean(),
  })
  .strict();
export type NetworkContent = z.infer<typeof NetworkContentSchema>;
