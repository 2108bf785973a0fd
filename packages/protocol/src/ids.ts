/**
 * Names of environments and windows. They appear in URLs, SQL parameters and
 * socket.io room names, so they are kept to printable text without path
 * separators: nothing a name holds can escape the data dir or a URL segment.
 * @module
 */
import { z } from 'zod';

/** Printable, 1–128 characters, no `/`, `\`, control characters, and not `.` or `..`. */
const SAFE_NAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f\u007f]{1,128}$/;

/** An environment id, e.g. `main` or `resnet18_run3`. */
export const EnvIdSchema = z
  .string()
  .regex(SAFE_NAME, 'must be 1-128 printable characters without "/" or "\\"');
export type EnvId = z.infer<typeof EnvIdSchema>;

/** A window id, unique inside its environment. */
export const WinIdSchema = z
  .string()
  .regex(SAFE_NAME, 'must be 1-128 printable characters without "/" or "\\"');
export type WinId = z.infer<typeof WinIdSchema>;
