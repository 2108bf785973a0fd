/**
 * Requests a client sends over socket.io or HTTP, validated by the server before the store.
 * @module
 */
import { z } from 'zod';
import { ContentInputSchema } from './content';
import { EnvIdSchema, WinIdSchema } from './ids';
import { WindowOptsSchema } from './options';
import { UpdateOpSchema } from './update-ops';
import { PaneLayoutSchema } from './window';

/**
 * Create a window, or replace the one with the same `win`. Compiled (z.compile), as every
 * `viz.image` of a training loop is validated with it twice.
 */
export const WindowCreateRequestSchema = z.compile(
  z
    .object({
      env: EnvIdSchema.optional(),
      /** Omit to let the server pick an id. */
      win: WinIdSchema.optional(),
      content: ContentInputSchema,
      opts: WindowOptsSchema.optional(),
    })
    .strict(),
);
export type WindowCreateRequest = z.infer<typeof WindowCreateRequestSchema>;

/** The window an update creates when `win` does not exist yet, as Visdom's append does. */
export const WindowSeedSchema = z.object({ content: ContentInputSchema, opts: WindowOptsSchema.optional() }).strict();

/**
 * Change a window; with `orCreate`, a missing window is created from it instead. Compiled, as
 * every line append of a training loop is validated with it twice.
 */
export const WindowUpdateRequestSchema = z.compile(
  z.object({ env: EnvIdSchema.optional(), win: WinIdSchema, op: UpdateOpSchema, orCreate: WindowSeedSchema.optional() }).strict(),
);
export type WindowUpdateRequest = z.infer<typeof WindowUpdateRequestSchema>;

/** Name a window: for `window:close` and `window:get`. */
export const WindowTargetSchema = z
  .object({ env: EnvIdSchema.optional(), win: WinIdSchema })
  .strict();
export type WindowTarget = z.infer<typeof WindowTargetSchema>;

/** Name an env: for `env:delete` and `env:subscribe`. */
export const EnvTargetSchema = z.object({ env: EnvIdSchema }).strict();
export type EnvTarget = z.infer<typeof EnvTargetSchema>;

/** Copy every window of `from` into a new env `to`. */
export const EnvForkRequestSchema = z.object({ from: EnvIdSchema, to: EnvIdSchema }).strict();
export type EnvForkRequest = z.infer<typeof EnvForkRequestSchema>;

/** Save the grid positions of panes. */
export const LayoutSaveRequestSchema = z
  .object({
    env: EnvIdSchema,
    items: z
      .array(z.object({ win: WinIdSchema }).extend(PaneLayoutSchema.shape).strict())
      .max(100_000),
  })
  .strict();
export type LayoutSaveRequest = z.infer<typeof LayoutSaveRequestSchema>;
export type LayoutItem = LayoutSaveRequest['items'][number];

/** Result of a write that touched one window. */
export interface WindowAck {
  env: string;
  win: string;
  rev: number;
}
