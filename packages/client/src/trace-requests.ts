/**
 * Requests of `viz.line` and `viz.scatter`: create a window, or change one with one op.
 * @module
 */
import type { Issue, Trace, TracePoints } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import type { LineOptions } from './options';
import {
  createRequest,
  requireWin,
  seriesRows,
  toLabels,
  type Labels,
  type Numbers,
  updateOrCreate,
  type WritePlan,
} from './request-common';

/**
 * Data of a line or scatter plot. `y` is one series, or one array per trace
 * (all sharing `x`).
 * @example
 * const data: LineData = { x: [1, 2, 3], y: [[0.9, 0.5, 0.3], [1.0, 0.7, 0.6]] };
 */
export interface LineData {
  x: Labels;
  y: Numbers | readonly Numbers[];
}

/**
 * Plan the request of a line or scatter call.
 * @example
 * planTraces('line', { x: [1], y: [0.5] }, { win: 'loss', update: 'append', name: 'train' }, 'main');
 * // { update: { env: 'main', win: 'loss', op: { type: 'append', traces: [{ name: 'train', x: [1], y: [0.5] }] }, orCreate: { content: … } } }
 */
export function planTraces(
  kind: 'line' | 'scatter',
  data: LineData | null,
  opts: LineOptions,
  defaultEnv: string,
): WritePlan {
  if (opts.update === 'remove') {
    if (opts.name === undefined) {
      throw CnnvisClientError.badRequest([
        { path: 'name', message: "update 'remove' needs the name of the trace to remove" },
      ]);
    }
    const win = requireWin(opts.win, "update 'remove'");
    const op = { type: 'remove', name: opts.name } as const;
    return { update: { env: opts.env ?? defaultEnv, win, op } };
  }
  if (data === null || typeof data !== 'object') {
    throw CnnvisClientError.badRequest([
      { path: 'data', message: "must be { x, y } unless update is 'remove'" },
    ]);
  }
  const x = toLabels(data.x);
  const issues: Issue[] = [];
  const rows = seriesRows(data.y, x, issues);
  if (opts.name !== undefined && rows.length !== 1) {
    issues.push({ path: 'name', message: `names one trace but y has ${rows.length}` });
  }
  if (issues.length > 0) throw CnnvisClientError.badRequest(issues);

  const mode = kind === 'scatter' ? 'markers' : opts.markers === true ? 'lines+markers' : 'lines';
  const traces: Trace[] = rows.map((y, k) => {
    return { name: opts.name ?? opts.legend?.[k] ?? `trace ${k}`, type: 'scatter', mode, x, y };
  });
  const create = createRequest(opts, defaultEnv, { kind: 'plot', traces });
  if (opts.update === undefined) return { create };

  const points: TracePoints[] =
    opts.name !== undefined
      ? [{ name: opts.name, x, y: rows[0] ?? [] }]
      : rows.map((y, index) => ({ index, x, y }));
  return updateOrCreate(create, { type: opts.update, traces: points }, `update '${opts.update}'`);
}
