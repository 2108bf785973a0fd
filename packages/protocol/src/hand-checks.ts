/**
 * Pieces of the hand checks that run before zod on the hot requests
 * (points-update-check.ts, image-create-check.ts). A hand check only ever says
 * yes to a request its zod schema accepts unchanged; any doubt goes to zod,
 * so every refusal, and its message, stays zod's.
 * @module
 */
import { EnvIdSchema, WinIdSchema } from './ids';

/** The last id each schema accepted: a training loop names the same env and window every time. */
const lastEnv = { id: '' };
const lastWin = { id: '' };

function isId(value: unknown, schema: typeof EnvIdSchema, last: { id: string }): boolean {
  if (typeof value !== 'string') return false;
  if (value === last.id && value !== '') return true;
  if (!schema.safeParse(value).success) return false;
  last.id = value;
  return true;
}

/** What {@link EnvIdSchema} accepts. */
export const isEnvId = (value: unknown): boolean => isId(value, EnvIdSchema, lastEnv);
/** What {@link WinIdSchema} accepts. */
export const isWinId = (value: unknown): boolean => isId(value, WinIdSchema, lastWin);

/** An object as JSON.parse makes it: not an array, nothing inherited. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Each key of `record` is one of `allowed` and holds a defined value; returns how many keys it has, or -1. */
export function countKeys(record: Record<string, unknown>, allowed: readonly string[]): number {
  let n = 0;
  for (const key in record) {
    if (!allowed.includes(key) || record[key] === undefined) return -1;
    n++;
  }
  return n;
}

export const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
/** A string of at most `max` UTF-16 units, as zod's `.max()` counts. */
export const isText = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max;
/** An integer zod's `.int().min(min).max(max)` accepts. */
export const isIntIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
