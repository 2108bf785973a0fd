/**
 * Visdom's `opts` as cnnvis window options.
 * @module
 */
import { WindowOptsSchema, type WindowOpts } from '@cnnvis/protocol';
import { isRecord } from './plot-content';

const clampSize = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(10_000, Math.max(50, Math.round(v))) : undefined);

/** The renames from Visdom's opt names to cnnvis's, for opts whose meaning is the same. */
function candidates(opts: Record<string, unknown>, heatmap: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    title: typeof opts['title'] === 'number' ? String(opts['title']) : opts['title'],
    xlabel: opts['xlabel'],
    ylabel: opts['ylabel'],
    legend: Array.isArray(opts['legend']) ? opts['legend'].map(String) : opts['legend'],
    showlegend: opts['showlegend'],
    caption: opts['caption'],
    width: clampSize(opts['width']),
    height: clampSize(opts['height']),
    colormap: opts['colormap'],
    xtype: opts['xtype'],
    ytype: opts['ytype'],
    markersize: opts['markersize'],
    stacked: opts['stacked'],
  };
  if (typeof opts['xtickmin'] === 'number' && typeof opts['xtickmax'] === 'number') out['xrange'] = [opts['xtickmin'], opts['xtickmax']];
  if (typeof opts['ytickmin'] === 'number' && typeof opts['ytickmax'] === 'number') out['yrange'] = [opts['ytickmin'], opts['ytickmax']];
  if (heatmap) {
    out['zmin'] = opts['xmin'];
    out['zmax'] = opts['xmax'];
  }
  return out;
}

const SHAPE = WindowOptsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } } | undefined>;

/** Whether two opt values are the same once sent as JSON (opts are stored as JSON). */
function sameOpt(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/** Keep the Visdom opts cnnvis understands, each only when its value is valid. */
export function toWindowOpts(opts: unknown, heatmap = false): WindowOpts {
  // Against a window with no opts, every valid one has changed.
  return changedWindowOpts(opts, {}, heatmap) ?? {};
}

/**
 * The opts {@link toWindowOpts} keeps that differ from `current` (the window's), or undefined when
 * none do.
 */
export function changedWindowOpts(opts: unknown, current: Readonly<Record<string, unknown>>, heatmap = false): WindowOpts | undefined {
  if (!isRecord(opts)) return undefined;
  let out: Record<string, unknown> | undefined;
  const c = candidates(opts, heatmap);
  for (const key in c) {
    const value = c[key];
    if (value === undefined || value === null || sameOpt(current[key], value)) continue;
    if (SHAPE[key]?.safeParse(value).success === true) (out ??= {})[key] = value;
  }
  return out as WindowOpts | undefined;
}
