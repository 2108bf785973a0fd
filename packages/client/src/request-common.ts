/**
 * Pieces the request builders share. Builders are pure, so options map to requests testably.
 * @module
 */
import type {
  ContentInput,
  Issue,
  UpdateOp,
  WindowCreateRequest,
  WindowOpts,
  WindowUpdateRequest,
} from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';

/** What one SDK call sends: a create, or an update that may carry the window to create instead. */
export type WritePlan = { create: WindowCreateRequest } | { update: WindowUpdateRequest };

/**
 * An update of `create`'s window that the server turns into `create` when the window does not
 * exist yet; `what` names the update in the error when no window is named.
 */
export function updateOrCreate(create: WindowCreateRequest, op: UpdateOp, what: string): WritePlan {
  const { env, win, content, opts } = create;
  const orCreate = opts === undefined ? { content } : { content, opts };
  return { update: { env, win: requireWin(win, what), op, orCreate } };
}

/** Numbers as users hold them: arrays or typed arrays; `null` leaves a gap. */
export type Numbers = ArrayLike<number | null>;
/** Axis values or labels. */
export type Labels = ArrayLike<number> | readonly string[] | ReadonlyArray<string | number>;

// Keys of the options objects that steer the SDK and never reach `opts` on the wire.
const SDK_KEYS: ReadonlySet<string> = new Set([
  'win', 'env', 'update', 'name', 'markers', 'numbins', 'nrow', 'padding', 'append',
]);

/**
 * The display options in a method's options object (set ones only), or `undefined` if none.
 * @example
 * displayOptions({ win: 'a', title: 'Loss', update: 'append' }); // { title: 'Loss' }
 */
export function displayOptions(opts: object): WindowOpts | undefined {
  const entries = Object.entries(opts).filter(([k, v]) => !SDK_KEYS.has(k) && v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as WindowOpts);
}

/**
 * The options named in `keys` that are set, to spread into a request.
 * @example
 * setFields({ win: 'a', step: undefined }, ['win', 'step']); // { win: 'a' }
 */
export function setFields<T extends object, K extends keyof T>(opts: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (opts[key] !== undefined) out[key] = opts[key];
  return out;
}

/**
 * A `window:create` of `content` in the window `opts` names, with its display options.
 * @example
 * createRequest({ win: 'log', title: 'Log' }, 'main', { kind: 'text', text: 'hi' });
 */
export function createRequest(
  opts: { env?: string; win?: string },
  defaultEnv: string,
  content: ContentInput,
): WindowCreateRequest {
  const req: WindowCreateRequest = { env: opts.env ?? defaultEnv, content };
  if (opts.win !== undefined) req.win = opts.win;
  const display = displayOptions(opts);
  if (display !== undefined) req.opts = display;
  return req;
}

/**
 * The window id an update needs; BAD_REQUEST naming `win` when missing.
 * @example
 * requireWin('loss', "update 'append'"); // 'loss'
 */
export function requireWin(win: string | undefined, what: string): string {
  if (win === undefined) {
    throw CnnvisClientError.badRequest([{ path: 'win', message: `${what} needs the window id` }]);
  }
  return win;
}

/**
 * Copy numbers into a plain array for JSON; NaN and ±Infinity become `null`
 * (a gap), since JSON cannot carry them and the protocol rejects them.
 * @example
 * toYValues(new Float32Array([1, NaN])); // [1, null]
 */
export function toYValues(values: Numbers): Array<number | null> {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return out;
}

/**
 * Copy axis values into a plain array (typed arrays do not serialise as arrays).
 * @example
 * toLabels(new Int32Array([1, 2])); // [1, 2]
 */
export function toLabels(values: Labels): Array<number | string> {
  return Array.from(values as ArrayLike<number | string>);
}

/**
 * `y` (one series, or an array of them) as rows of wire values, with an issue in `issues` for
 * each row whose length is not `x`'s.
 * @example
 * seriesRows([[1], [2, 3]], [0], issues); // [[1], [2, 3]], issues: y[1] has 2 values but x has 1
 */
export function seriesRows(
  y: Numbers | readonly Numbers[],
  x: unknown[] | undefined,
  issues: Issue[],
): Array<Array<number | null>> {
  const first = y[0];
  const list = typeof first === 'object' && first !== null;
  const rows = list ? (y as readonly Numbers[]).map(toYValues) : [toYValues(y as Numbers)];
  rows.forEach((row, k) => {
    if (x !== undefined && row.length !== x.length) {
      const message = `has ${row.length} values but x has ${x.length}`;
      issues.push({ path: list ? `y[${k}]` : 'y', message });
    }
  });
  return rows;
}
