/**
 * Requests of `viz.bar`, `viz.histogram` and `viz.heatmap`.
 * @module
 */
import type { Issue, Trace } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import { binValues } from './histogram';
import type { BarOptions, HeatmapOptions, HistogramOptions } from './options';
import {
  createRequest,
  seriesRows,
  toLabels,
  toYValues,
  updateOrCreate,
  type Labels,
  type Numbers,
  type WritePlan,
} from './request-common';

/**
 * Data of a bar chart: one series, or one array per trace; `x` labels the bars.
 * @example
 * const data: BarData = { y: [3, 1, 2], x: ['cat', 'dog', 'bird'] };
 */
export interface BarData {
  y: Numbers | readonly Numbers[];
  x?: Labels;
}

/**
 * Data of a histogram: the raw values, binned by the SDK.
 * @example
 * const data: HistogramData = { values: layerWeights };
 */
export interface HistogramData {
  values: ArrayLike<number>;
}

/**
 * Data of a heatmap: `z[row][col]`, with optional column (`x`) and row (`y`) labels.
 * With an edge `update`, `z` is the block to add.
 * @example
 * const data: HeatmapData = { z: [[5, 1], [0, 7]], x: ['cat', 'dog'], y: ['cat', 'dog'] };
 */
export interface HeatmapData {
  z: readonly Numbers[];
  x?: Labels;
  y?: Labels;
}

/** Default `numbins` of `viz.histogram`, as in Visdom. */
export const DEFAULT_NUMBINS = 30;

/**
 * Plan a bar chart: one bar trace per series, created or replaced.
 * @example
 * planBar({ y: [[1, 2], [3, 4]] }, { legend: ['a', 'b'], stacked: true }, 'main');
 */
export function planBar(data: BarData, opts: BarOptions, defaultEnv: string): WritePlan {
  const x = data.x === undefined ? undefined : toLabels(data.x);
  const issues: Issue[] = [];
  const rows = seriesRows(data.y, x, issues);
  if (issues.length > 0) throw CnnvisClientError.badRequest(issues);
  const traces: Trace[] = rows.map((y, k) => {
    const trace: Trace = { name: opts.legend?.[k] ?? `trace ${k}`, type: 'bar', y };
    if (x !== undefined) trace.x = x;
    return trace;
  });
  return { create: createRequest(opts, defaultEnv, { kind: 'plot', traces }) };
}

/**
 * Plan a histogram: bins computed here and sent as one bar trace of counts at
 * the bin centres.
 * @example
 * planHistogram({ values: [0, 1, 1, 2] }, { numbins: 2 }, 'main');
 */
export function planHistogram(data: HistogramData, opts: HistogramOptions, defaultEnv: string): WritePlan {
  const numbins = opts.numbins ?? DEFAULT_NUMBINS;
  if (!Number.isInteger(numbins) || numbins < 1 || numbins > 10_000) {
    throw CnnvisClientError.badRequest([
      { path: 'numbins', message: `must be an integer from 1 to 10000, got ${numbins}` },
    ]);
  }
  const bins = binValues(data.values, numbins);
  const trace: Trace = { name: opts.name ?? 'histogram', type: 'bar', x: bins.centres, y: bins.counts };
  return { create: createRequest(opts, defaultEnv, { kind: 'plot', traces: [trace] }) };
}

/**
 * Plan a heatmap: create or replace it, or grow it on one edge with `update`.
 * @example
 * planHeatmap({ z: [[1, 2]] }, { win: 'cm', update: 'appendRow' }, 'main');
 */
export function planHeatmap(data: HeatmapData, opts: HeatmapOptions, defaultEnv: string): WritePlan {
  const z = data.z.map(toYValues);
  const trace: Trace = { name: 'heatmap', type: 'heatmap', z };
  if (data.x !== undefined) trace.x = toLabels(data.x);
  if (data.y !== undefined) trace.y = toLabels(data.y);
  const create = createRequest(opts, defaultEnv, { kind: 'plot', traces: [trace] });
  if (opts.update === undefined) return { create };
  const op = { type: 'heatmap', edge: opts.update, z } as const;
  return updateOrCreate(create, op, `update '${opts.update}'`);
}
