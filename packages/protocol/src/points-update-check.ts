/**
 * A hand check of the commonest update request, run before zod: a plain
 * append or replace of points (every line append, from a Visdom script or the
 * SDK), made of plain JSON values. It only ever says yes to a request
 * {@link WindowUpdateRequestSchema} accepts unchanged; anything else (any
 * doubt at all) goes to zod, so every refusal, and its message, stays zod's.
 * zod's generic walk of the same small request cost ~7 µs of the server's
 * ~120 µs per awaited Visdom append (a --cpu-prof run of the bench); the SDK
 * runs the same check before its own zod validation of every append.
 * @module
 */
import { MAX_POINTS_PER_MESSAGE } from './content';
import { countKeys, isEnvId, isNumber, isPlainObject, isText, isWinId } from './hand-checks';
import type { WindowUpdateRequest } from './requests';

/** Values zod's XValueSchema (`nullable` false) or YValueSchema (`nullable` true) accepts. */
function isValues(list: unknown, nullable: boolean): list is unknown[] {
  if (!Array.isArray(list) || list.length > MAX_POINTS_PER_MESSAGE) return false;
  for (let i = 0; i < list.length; i++) {
    const v: unknown = list[i];
    if (!(isNumber(v) || isText(v, 1000) || (nullable && v === null))) return false;
  }
  return true;
}

/** Colours zod's MarkerColorSchema accepts. */
function isColors(list: unknown): list is unknown[] {
  if (!Array.isArray(list) || list.length > MAX_POINTS_PER_MESSAGE) return false;
  for (let i = 0; i < list.length; i++) {
    const v: unknown = list[i];
    if (!(isNumber(v) || isText(v, 100) || v === null)) return false;
  }
  return true;
}

const TRACE_KEYS: readonly string[] = ['name', 'index', 'x', 'y', 'color'];

/** One entry of `traces` as TracePointsSchema accepts it. */
function isTracePoints(value: unknown): boolean {
  if (!isPlainObject(value) || countKeys(value, TRACE_KEYS) < 2) return false;
  const { name, index, x, y, color } = value;
  if ((name === undefined) === (index === undefined)) return false;
  if (name !== undefined && !isText(name, 1000)) return false;
  if (index !== undefined && !(Number.isInteger(index) && (index as number) >= 0 && (index as number) <= 999)) return false;
  if (!isValues(x, false) || !isValues(y, true) || x.length !== y.length) return false;
  return color === undefined || (isColors(color) && color.length === x.length);
}

const REQUEST_KEYS: readonly string[] = ['env', 'win', 'op'];
const OP_KEYS: readonly string[] = ['type', 'traces'];

/**
 * Whether `payload` is an append or replace of points that zod would accept
 * as it is. False means "ask zod", not "invalid".
 * @example
 * isPointsUpdate({ env: 'main', win: 'loss', op: { type: 'append', traces: [{ name: 'train', x: [3], y: [0.2] }] } }) // → true
 */
export function isPointsUpdate(payload: unknown): payload is WindowUpdateRequest {
  if (!isPlainObject(payload) || countKeys(payload, REQUEST_KEYS) < 0) return false;
  const { env, win, op } = payload;
  if ((env !== undefined && !isEnvId(env)) || !isWinId(win)) return false;
  if (!isPlainObject(op) || countKeys(op, OP_KEYS) !== 2 || (op['type'] !== 'append' && op['type'] !== 'replace')) return false;
  const traces = op['traces'];
  if (!Array.isArray(traces) || traces.length < 1 || traces.length > 1000) return false;
  for (let i = 0; i < traces.length; i++) if (!isTracePoints(traces[i])) return false;
  return true;
}
