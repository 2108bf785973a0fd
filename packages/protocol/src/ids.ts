/**
 * Names of environments and windows, kept to printable text without path separators so no name
 * can escape the data dir or a URL segment.
 * @module
 */
import { z } from 'zod';

/** Printable, 1–128 characters, no `/`, `\`, control characters, and not `.` or `..`. */
const SAFE_NAME = /^(?!\.{1,2}$)[^/\\\u0000-\u001f\u007f]{1,128}$/;

/** An environment id, e.g. `main` or `resnet18_run3`. */
export const EnvIdSchema = z
  .string()
  .regex(SAFE_NAME, 'must be 1-128 printable characters without "/" or "\\"');

/** A window id, unique inside its environment; the same rule as env ids. */
export const WinIdSchema = EnvIdSchema;
