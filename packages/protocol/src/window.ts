/**
 * Windows and environments as the server reports them.
 * @module
 */
import { z } from 'zod';
import { ContentSchema } from './content';
import { EnvIdSchema, WinIdSchema } from './ids';
import { WindowOptsSchema } from './options';

/** A pane's place in the grid, in grid cells. */
export const PaneLayoutSchema = z
  .object({
    x: z.number().int().min(0).max(10_000),
    y: z.number().int().min(0).max(1_000_000),
    w: z.number().int().min(1).max(10_000),
    h: z.number().int().min(1).max(10_000),
  })
  .strict();
export type PaneLayout = z.infer<typeof PaneLayoutSchema>;

/** A window, whole. */
export const WindowSchema = z.object({
  env: EnvIdSchema,
  id: WinIdSchema,
  kind: z.enum(['plot', 'image', 'text', 'graph', 'properties', 'network']),
  opts: WindowOptsSchema,
  content: ContentSchema,
  /** Bumped by every change; lets a browser tell a stale delta from a fresh one. */
  rev: z.number().int(),
  /** Order of creation inside the env. */
  position: z.number().int(),
  layout: PaneLayoutSchema.nullable(),
  /** Milliseconds since the epoch. */
  updatedAt: z.number(),
});
export type Window = z.infer<typeof WindowSchema>;

/** One line of `GET /api/envs`. */
export const EnvSummarySchema = z.object({
  id: EnvIdSchema,
  windows: z.number().int(),
  updatedAt: z.number(),
});
export type EnvSummary = z.infer<typeof EnvSummarySchema>;

/** What the server tells every socket on connect. */
export const ServerHelloSchema = z.object({
  version: z.string(),
  limits: z.object({ maxPayloadBytes: z.number().int() }),
  /** The server refuses every change (`--readonly`): UIs hide their editing controls. */
  readonly: z.boolean().optional(),
});
export type ServerHello = z.infer<typeof ServerHelloSchema>;
