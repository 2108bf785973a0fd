/**
 * Visdom's `/update` on plot panes (its `UpdateHandler.update`): which plots take updates,
 * `opts.legend` renaming the traces in order, the new points of each trace (x, y and per-point
 * `marker.color`; a trace whose new x are all missing is skipped), appends and replaces by name or
 * in order, removal, and a new trace injected, attributes and all, for an unknown name.
 * @module
 */
import type { MarkerColor, PlotContent, Trace, UpdateOp, Window } from '@cnnvis/protocol';
import { toWinId } from './ids';
import { isRecord, toTrace } from './plot-content';
import { apply, updateHeatmap, type Ctx } from './update-panes';
import { badField } from '../errors';

/** Plots whose first trace is one of these take data updates; Visdom refuses the rest. */
const UPDATABLE_TRACES: readonly string[] = ['scatter', 'scattergl', 'custom', 'heatmap'];

/**
 * The refusal of a data update to a pane Visdom cannot update (`what`: 'bar plot',
 * 'properties pane', …). Visdom answers with a text naming the types it takes; so does this.
 */
export function notUpdatable(win: string, what: string) {
  return badField(
    'win',
    `window '${win}' is a ${what}, which takes no data updates (only scatter, scattergl, custom and heatmap plots, text and image_history panes do); send it again with /events`,
  );
}

/** Whether a plot whose first trace has this type (none: an empty plot) takes data updates. */
export const takesPlotUpdates = (firstType: string | undefined) => firstType === undefined || UPDATABLE_TRACES.includes(firstType);

/** New points of one Visdom trace. */
export interface NewPoints {
  x: Array<number | string>;
  y: unknown[];
  color?: MarkerColor[];
}

/** The new points of one Visdom trace; undefined when every x is missing (Visdom skips those). */
export function points(raw: Record<string, unknown>, path: string): NewPoints | undefined {
  const x = raw['x'];
  const y = raw['y'];
  if (!Array.isArray(x) || !Array.isArray(y)) throw badField(path, 'needs x and y lists');
  if (x.length !== y.length) throw badField(`${path}.y`, `has ${y.length} values but x has ${x.length}`);
  if (x.every((v) => v === null)) return undefined;
  // Only a list is per-point colour; one colour for the whole trace is styling, not data.
  const marker = raw['marker'];
  const color = isRecord(marker) && Array.isArray(marker['color']) ? (marker['color'] as MarkerColor[]) : undefined;
  if (color !== undefined && color.length !== x.length) throw badField(`${path}.marker.color`, `has ${color.length} colours but x has ${x.length} points`);
  // The common case, no gap in x, allocates nothing more.
  if (!x.includes(null)) return color === undefined ? { x, y } : { x, y, color };
  // A point without x cannot be drawn; keep the others (and their colours).
  const keep = (_: unknown, i: number) => x[i] !== null;
  const out: NewPoints = { x: x.filter(keep) as Array<number | string>, y: y.filter(keep) };
  if (color !== undefined) out.color = color.filter(keep);
  return out;
}

/** The op's entry for one trace's points, picked by name or index; colours only when sent. */
export function tracePoints(select: { name: string } | { index: number }, p: NewPoints) {
  // Built field by field: spreading `select` cost more than the rest of the entry.
  const entry: { name?: string; index?: number; x: NewPoints['x']; y: unknown[]; color?: MarkerColor[] } =
    'name' in select ? { name: select.name, x: p.x, y: p.y } : { index: select.index, x: p.x, y: p.y };
  if (p.color !== undefined) entry.color = p.color;
  return entry;
}

/**
 * The trace names after Visdom's `opts.legend` renames them in order, or
 * undefined when that changes nothing. A shorter legend renames the traces it
 * reaches (Visdom fails on the rest); a longer one's extra names are unused.
 */
export function legendRenames(names: readonly string[], opts: unknown): string[] | undefined {
  const legend = isRecord(opts) ? opts['legend'] : undefined;
  if (!Array.isArray(legend)) return undefined;
  const renamed = names.map((n, i) => (i < legend.length && legend[i] !== null && legend[i] !== undefined ? String(legend[i]) : n));
  return renamed.some((n, i) => n !== names[i]) ? renamed : undefined;
}

/** Rename a plot's traces by `opts.legend`, before the data applies (as Visdom does); returns the window as it now is. */
export async function renameByLegend(ctx: Ctx, win: Window): Promise<Window> {
  const plot = win.content;
  if (plot.kind !== 'plot') return win;
  const names = legendRenames(plot.traces.map((t) => t.name), ctx.body['opts']);
  if (names === undefined) return win;
  const content: PlotContent = { ...plot, traces: plot.traces.map((t, i) => ({ ...t, name: names[i] ?? t.name })) };
  await ctx.service.create({ env: ctx.env, win: ctx.win, content, opts: win.opts });
  return { ...win, content };
}

/** The trace Visdom injects for an unknown name: the one sent, with its attributes, holding just its new points. */
function injectedTrace(raw: Record<string, unknown>, name: string, index: number, p: NewPoints): Trace {
  const sent = toTrace(raw, index, 'data[0]');
  // Points that did not fit a typed slot (an x with gaps) went to plotly; the cleaned ones replace them.
  const { x: _x, y: _y, ...plotly } = sent.plotly ?? {};
  if (p.color !== undefined) Object.assign(plotly, { marker: { ...(isRecord(plotly['marker']) ? plotly['marker'] : {}), color: p.color } });
  const trace: Trace = { ...sent, name, x: p.x, y: p.y as Trace['y'] };
  delete trace.plotly;
  if (Object.keys(plotly).length > 0) trace.plotly = plotly as Trace['plotly'];
  return trace;
}

/** Apply one `/update`'s data (or delete) to a plot window. */
export async function updatePlot(ctx: Ctx, win: Window, plot: PlotContent): Promise<void> {
  const { body, data } = ctx;
  if (!takesPlotUpdates(plot.traces[0]?.type)) throw notUpdatable(ctx.win, `${plot.traces[0]?.type ?? ''} plot`);
  const name = toWinId(body['name'], 'name');
  if (body['delete'] === true) {
    const names = name !== undefined ? [name] : plot.traces.map((t) => t.name);
    for (const n of names) await apply(ctx, { type: 'remove', name: n });
    return;
  }
  if (data.length === 0) return;
  if (plot.traces[0]?.type === 'heatmap' || data[0]?.['type'] === 'heatmap') return updateHeatmap(ctx, win, plot);
  const type = body['append'] === true ? 'append' : 'replace';
  if (name !== undefined) {
    if (data.length !== 1) throw badField('data', `must hold one trace when name is given (got ${data.length})`);
    const p = points(data[0] as Record<string, unknown>, 'data[0]');
    if (p === undefined) return;
    if (!plot.traces.some((t) => t.name === name)) {
      const traces = [...plot.traces, injectedTrace(data[0] as Record<string, unknown>, name, plot.traces.length, p)];
      await ctx.service.create({ env: ctx.env, win: ctx.win, content: { ...plot, traces }, opts: win.opts });
      return;
    }
    await apply(ctx, { type, traces: [tracePoints({ name }, p)] } as UpdateOp);
    return;
  }
  if (data.length !== plot.traces.length) {
    throw badField(
      'data',
      `has ${data.length} trace(s) but window '${ctx.win}' has ${plot.traces.length}; send one per trace, or pass name to pick one`,
    );
  }
  const traces = orderedPoints(data);
  if (traces.length > 0) await apply(ctx, { type, traces } as UpdateOp);
}

/** Points for every trace in order (no name): one entry per trace, skipping those with no x. */
export function orderedPoints(data: ReadonlyArray<Record<string, unknown>>) {
  const out: Array<ReturnType<typeof tracePoints>> = [];
  data.forEach((t, index) => {
    const p = points(t, `data[${index}]`);
    if (p !== undefined) out.push(tracePoints({ index }, p));
  });
  return out;
}
