/**
 * A viewer's actions on a pane that Visdom clients register handlers for, sent as `ui:event` and
 * forwarded to listening clients.
 * @module
 */
import { z } from 'zod';
import { EnvIdSchema, WinIdSchema } from './ids';

export const UiEventSchema = z.discriminatedUnion('type', [
  /** A property pane's field was edited. */
  z
    .object({
      type: z.literal('PropertyUpdate'),
      propertyId: z.number().int().min(0),
      value: z.union([z.string().max(100_000), z.number(), z.boolean()]),
    })
    .strict(),
  /** A key was pressed while the pane had focus. */
  z.object({ type: z.literal('KeyPress'), key: z.string().max(100), keyCode: z.number().int() }).strict(),
  /** An image was clicked; coordinates are in the image's own pixels. */
  z
    .object({
      type: z.literal('Click'),
      imageCoord: z.object({ x: z.number(), y: z.number() }).strict(),
      /** Which image of the pane, for grids and histories. @default 0 */
      image: z.number().int().min(0).optional(),
    })
    .strict(),
]);
export type UiEvent = z.infer<typeof UiEventSchema>;

/** `ui:event`: a viewer's action on window `win`. */
export const UiEventRequestSchema = z
  .object({ env: EnvIdSchema, win: WinIdSchema, event: UiEventSchema })
  .strict();
export type UiEventRequest = z.infer<typeof UiEventRequestSchema>;
