/**
 * Requests a client sends, over socket.io events or the HTTP API. The server
 * validates each with these schemas before it touches the store.
 * @module
 */
import { z } from 'zod';
import { ContentInputSchema } from './content';
import { EnvIdSchema, WinIdSchema } from './ids';
import { WindowOptsSchema } from './options';
import { UpdateOpSchema } from './update-ops';
import { PaneLayoutSchema } from './window';

/**
 * Create a window, or replace the one with the same `win`. Compiled with zod's
 * own fast path (a refusal still gets the runtime's messages): every
 * `viz.image` of a training loop is validated with it in the SDK and the server.
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

/** Where a created or changed window lives. */
export const WindowRefSchema = z.object({ env: EnvIdSchema, win: WinIdSchema }).strict();
export type WindowRef = z.infer<typeof WindowRefSchema>;

/**
 * The window an update creates instead when `win` does not exist yet, as
 * Visdom's append creates its window: the content already holds the op's data.
 */
export const WindowSeedSchema = z.object({ content: ContentInputSchema, opts: WindowOptsSchema.optional() }).strict();
export type WindowSeed = z.infer<typeof WindowSeedSchema>;

/**
 * Change a window; with `orCreate`, a window that does not exist yet is
 * created from it instead (one request, whether or not it exists). Compiled
 * with zod's own fast path (a refusal still gets the runtime's messages):
 * every line append of a training loop is validated with it in the SDK and the server.
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
