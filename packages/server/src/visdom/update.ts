/**
 * Visdom's `/update` as cnnvis update ops. Appends and replaces by trace name
 * (a new name injects a trace), by position without a name, trace removal,
 * heatmap edges, text append with `<br>`, image-history append, and
 * opts/layout changes (`update_window_opts`). Point ops travel as native
 * deltas; the rare whole-window rewrites (image history, relabelled heatmaps,
 * layout) go through `put`, keeping the window's place.
 * @module
 */
import { UpdateRejection, type PlotContent, type UpdateOp, type Window, type WindowCreateRequest, type WindowOpts } from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import type { WindowService } from '../window-service';
import { badField, toEnvId, toWinId } from './ids';
import { toCreateRequest } from './pane-content';
import { apply, updateHeatmap, updateImageHistory, type Ctx } from './update-panes';
import { toWindowOpts } from './window-opts';

type Body = Record<string, unknown>;

function tryGet(service: WindowService, env: string, win: string): Window | undefined {
  try {
    return service.get({ env, win });
  } catch (err) {
    if (err instanceof CnnvisError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) return undefined;
    throw err;
  }
}

/** New points of one Visdom trace; undefined when every x is missing (Visdom skips those). */
function points(raw: Record<string, unknown>, path: string): { x: Array<number | string>; y: unknown[] } | undefined {
  const x = raw['x'];
  const y = raw['y'];
  if (!Array.isArray(x) || !Array.isArray(y)) throw badField(path, 'needs x and y lists');
  if (x.length !== y.length) throw badField(`${path}.y`, `has ${y.length} values but x has ${x.length}`);
  if (x.every((v) => v === null)) return undefined;
  // A point without x cannot be drawn; keep the others.
  const keep = x.map((v) => v !== null);
  return { x: x.filter((_, i) => keep[i]) as Array<number | string>, y: y.filter((_, i) => keep[i]) };
}

function updatePlot(ctx: Ctx, win: Window, plot: PlotContent): void {
  const { body, data } = ctx;
  const name = toWinId(body['name'], 'name');
  if (body['delete'] === true) {
    const names = name !== undefined ? [name] : plot.traces.map((t) => t.name);
    for (const n of names) apply(ctx, { type: 'remove', name: n });
    return;
  }
  if (data.length === 0) return;
  if (plot.traces[0]?.type === 'heatmap' || data[0]?.['type'] === 'heatmap') return updateHeatmap(ctx, win, plot);
  const op = body['append'] === true ? 'append' : 'replace';
  if (name !== undefined) {
    if (data.length !== 1) throw badField('data', `must hold one trace when name is given (got ${data.length})`);
    const p = points(data[0] as Record<string, unknown>, 'data[0]');
    if (p === undefined) return;
    // An unknown name injects a trace that starts with these points, for append and replace alike.
    apply(ctx, { type: op, traces: [{ name, ...p }] } as UpdateOp);
    return;
  }
  if (data.length !== plot.traces.length) {
    throw badField(
      'data',
      `has ${data.length} trace(s) but window '${ctx.win}' has ${plot.traces.length}; send one per trace, or pass name to pick one`,
    );
  }
  const traces = data
    .map((t, index) => ({ index, p: points(t, `data[${index}]`) }))
    .filter((t) => t.p !== undefined)
    .map(({ index, p }) => ({ index, ...(p as NonNullable<typeof p>) }));
  if (traces.length > 0) apply(ctx, { type: op, traces } as UpdateOp);
}


/** Merge `layout` into a plot's layout when it changes anything. */
function updateLayout(ctx: Ctx): void {
  const layout = ctx.body['layout'];
  if (typeof layout !== 'object' || layout === null || Array.isArray(layout) || Object.keys(layout).length === 0) return;
  const win = ctx.service.get({ env: ctx.env, win: ctx.win });
  if (win.content.kind !== 'plot') return;
  const merged = { ...(win.content.layout ?? {}), ...(layout as Record<string, unknown>) };
  if (JSON.stringify(merged) === JSON.stringify(win.content.layout ?? {})) return;
  ctx.service.create({ env: ctx.env, win: ctx.win, content: { ...win.content, layout: merged as PlotContent['layout'] }, opts: win.opts });
}

/** The opts of `opts` that differ from `current`, or undefined when none do. */
function changedOpts(opts: WindowOpts, current: Record<string, unknown>): WindowOpts | undefined {
  const changed = Object.entries(opts).filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
  return changed.length > 0 ? (Object.fromEntries(changed) as WindowOpts) : undefined;
}

/** Apply the opts that differ from the window's (every append resends them all). */
function updateOpts(ctx: Ctx, heatmap: boolean, current: WindowOpts): void {
  const changed = changedOpts(toWindowOpts(ctx.body['opts'], heatmap), current);
  if (changed !== undefined) apply(ctx, { type: 'opts', opts: changed });
}

const isTraceUpdate = (d: Record<string, unknown>) => d['type'] === undefined || (typeof d['type'] === 'string' && !NOT_TRACES.includes(d['type']));
const NOT_TRACES: readonly string[] = ['heatmap', 'text', 'image', 'image_history', 'image_update_selected', 'properties', 'network', 'embeddings'];

/**
 * The hot path of a line append: one native op and a one-row summary (kind,
 * opts, trace count) read from the store, never the points. Returns false
 * (having changed nothing) when the request needs the reading path: an
 * unknown window, another kind, a trace count that does not match, a layout.
 */
function fastAppend(ctx: Ctx): boolean {
  const { body, data, env, win } = ctx;
  const layout = body['layout'];
  if (body['delete'] === true || data.length === 0 || !data.every(isTraceUpdate)) return false;
  if (layout !== undefined && layout !== null && (typeof layout !== 'object' || Object.keys(layout).length > 0)) return false;
  const head = ctx.service.summary(env, win);
  if (head === undefined || head.kind !== 'plot') return false;
  const name = toWinId(body['name'], 'name');
  if (name === undefined && head.traces !== data.length) return false;
  if (name !== undefined && data.length !== 1) return false;
  const type = body['append'] === true ? 'append' : 'replace';
  const traces = data
    .map((t, index) => ({ index, p: points(t, `data[${index}]`) }))
    .filter((t) => t.p !== undefined)
    .map(({ index, p }) => (name !== undefined ? { name, ...(p as NonNullable<typeof p>) } : { index, ...(p as NonNullable<typeof p>) }));
  try {
    if (traces.length > 0) apply(ctx, { type, traces } as UpdateOp);
  } catch (err) {
    if (!(err instanceof CnnvisError || err instanceof UpdateRejection)) throw err;
    return false;
  }
  updateOpts(ctx, false, head.opts);
  return true;
}

/**
 * Handle one `/update` body; returns the reply text (the window id).
 * @example visdomUpdate(service, { eid: 'main', win: 'loss', data: [{ x: [3], y: [0.2] }], name: 'train', append: true })
 */
export function visdomUpdate(service: WindowService, body: Body): string {
  const env = toEnvId(body['eid']);
  const win = toWinId(body['win']);
  if (win === undefined) throw badField('win', 'is required to update a window');
  const rawData = body['data'] ?? [];
  if (!Array.isArray(rawData) || rawData.some((d) => typeof d !== 'object' || d === null)) throw badField('data', 'must be a list of objects');
  const ctx: Ctx = { service, env, win, body, data: rawData as Record<string, unknown>[] };
  if (fastAppend(ctx)) return win;
  const existing = tryGet(service, env, win);
  if (existing === undefined) {
    if (body['append'] === true && ctx.data.length > 0) return createWindow(service, toCreateRequest({ ...body, eid: env, win }));
    throw new CnnvisError({ code: 'NOT_FOUND', message: 'win does not exist' });
  }
  const c = existing.content;
  if (ctx.data.length > 0 || body['delete'] === true) {
    switch (c.kind) {
      case 'plot':
        updatePlot(ctx, existing, c);
        break;
      case 'text': {
        const text = ctx.data[0]?.['content'];
        if (typeof text !== 'string') throw badField('data[0].content', 'must be a string to append');
        apply(ctx, { type: 'appendText', text: `<br>${text}` });
        break;
      }
      case 'image':
        updateImageHistory(ctx, existing);
        break;
      default:
        throw badField('win', `window '${win}' is a ${c.kind} pane, which takes no data updates; send it again with /events`);
    }
  }
  updateLayout(ctx);
  updateOpts(ctx, c.kind === 'plot' && c.traces[0]?.type === 'heatmap', service.summary(env, win)?.opts ?? {});
  return win;
}

/** Create a window from a converted `/events` body; returns its id. */
export function createWindow(service: WindowService, req: WindowCreateRequest): string {
  return service.create(req).win;
}
