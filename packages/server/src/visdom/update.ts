/**
 * Visdom's `/update` as cnnvis update ops: the entry point, its hot path for line appends, and the
 * opts and layout every update may carry (`update_window_opts`).
 * @module
 */
import { UpdateRejection, type PlotContent, type UpdateOp, type Window, type WindowOpts } from '@cnnvis/protocol';
import { badField, CnnvisError } from '../errors';
import type { WindowService } from '../window-service';
import { toEnvId, toWinId } from './ids';
import { toCreateRequest } from './pane-content';
import { apply, updateImageHistory, type Ctx } from './update-panes';
import { legendRenames, notUpdatable, orderedPoints, points, renameByLegend, takesPlotUpdates, tracePoints, updatePlot } from './update-plot';
import { changedWindowOpts } from './window-opts';

type Body = Record<string, unknown>;

async function tryGet(service: WindowService, env: string, win: string): Promise<Window | undefined> {
  try {
    return await service.get({ env, win });
  } catch (err) {
    if (err instanceof CnnvisError && (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST')) return undefined;
    throw err;
  }
}

/** Merge `layout` into a plot's layout when it changes anything. */
async function updateLayout(ctx: Ctx): Promise<void> {
  const layout = ctx.body['layout'];
  if (typeof layout !== 'object' || layout === null || Array.isArray(layout) || Object.keys(layout).length === 0) return;
  const win = await ctx.service.get({ env: ctx.env, win: ctx.win });
  if (win.content.kind !== 'plot') return;
  const merged = { ...(win.content.layout ?? {}), ...(layout as Record<string, unknown>) };
  if (JSON.stringify(merged) === JSON.stringify(win.content.layout ?? {})) return;
  await ctx.service.create({ env: ctx.env, win: ctx.win, content: { ...win.content, layout: merged as PlotContent['layout'] }, opts: win.opts });
}

/** Apply the opts that differ from the window's (every append resends them all). */
async function updateOpts(ctx: Ctx, heatmap: boolean, current: WindowOpts): Promise<void> {
  const changed = changedWindowOpts(ctx.body['opts'], current, heatmap);
  if (changed !== undefined) await apply(ctx, { type: 'opts', opts: changed });
}

const isTraceUpdate = (d: Record<string, unknown>) => d['type'] === undefined || (typeof d['type'] === 'string' && !NOT_TRACES.includes(d['type']));
const NOT_TRACES: readonly string[] = ['heatmap', 'text', 'image', 'image_history', 'image_update_selected', 'properties', 'network', 'embeddings'];

/**
 * The hot path of a line append: one native op and a one-row summary (kind, opts, trace names) read
 * from the store, never the points.
 */
async function fastAppend(ctx: Ctx): Promise<boolean> {
  const { body, data, env, win } = ctx;
  const layout = body['layout'];
  if (body['delete'] === true || data.length === 0 || !data.every(isTraceUpdate)) return false;
  if (layout !== undefined && layout !== null && (typeof layout !== 'object' || Object.keys(layout).length > 0)) return false;
  const head = await ctx.service.summary(env, win);
  if (head === undefined || head.kind !== 'plot' || head.firstType === 'heatmap' || !takesPlotUpdates(head.firstType)) return false;
  const name = toWinId(body['name'], 'name');
  if (name === undefined ? head.traces !== data.length : data.length !== 1 || !head.names.includes(name)) return false;
  if (legendRenames(head.names, body['opts']) !== undefined) return false;
  const type = body['append'] === true ? 'append' : 'replace';
  let traces: ReturnType<typeof orderedPoints>;
  if (name === undefined) traces = orderedPoints(data);
  else {
    const p = points(data[0] as Record<string, unknown>, 'data[0]');
    traces = p === undefined ? [] : [tracePoints({ name }, p)];
  }
  try {
    if (traces.length > 0) await apply(ctx, { type, traces } as UpdateOp);
  } catch (err) {
    if (!(err instanceof CnnvisError || err instanceof UpdateRejection)) throw err;
    return false;
  }
  await updateOpts(ctx, false, head.opts);
  return true;
}

/**
 * Handle one `/update` body; returns the reply text (the window id).
 * @example visdomUpdate(service, { eid: 'main', win: 'loss', data: [{ x: [3], y: [0.2] }], name: 'train', append: true })
 */
export async function visdomUpdate(service: WindowService, body: Body): Promise<string> {
  const env = toEnvId(body['eid']);
  const win = toWinId(body['win']);
  if (win === undefined) throw badField('win', 'is required to update a window');
  const rawData = body['data'] ?? [];
  if (!Array.isArray(rawData) || rawData.some((d) => typeof d !== 'object' || d === null)) throw badField('data', 'must be a list of objects');
  const ctx: Ctx = { service, env, win, body, data: rawData as Record<string, unknown>[] };
  // An append to a missing window creates it from the same body, by the service's one rule for that.
  const make = async () => (await service.create(toCreateRequest({ ...body, eid: env, win }))).win;
  const orCreate = body['append'] === true && ctx.data.length > 0 ? make : undefined;
  return service.changeOrCreate(env, win, () => change(ctx), orCreate);
}

/** Apply one `/update` body to its window, which must exist. */
async function change(ctx: Ctx): Promise<string> {
  const { service, env, win, body } = ctx;
  if (await fastAppend(ctx)) return win;
  const existing = await tryGet(service, env, win);
  if (existing === undefined) throw new CnnvisError({ code: 'NOT_FOUND', message: 'win does not exist' });
  // Visdom renames traces by opts.legend first, so this request's data already sees the new names.
  const current = await renameByLegend(ctx, existing);
  const c = current.content;
  if (ctx.data.length > 0 || body['delete'] === true) {
    switch (c.kind) {
      case 'plot':
        await updatePlot(ctx, current, c);
        break;
      case 'text': {
        const text = ctx.data[0]?.['content'];
        if (typeof text !== 'string') throw badField('data[0].content', 'must be a string to append');
        await apply(ctx, { type: 'appendText', text: `<br>${text}` });
        break;
      }
      case 'image':
        await updateImageHistory(ctx, current);
        break;
      default:
        throw notUpdatable(win, `${c.kind} pane`);
    }
  }
  await updateLayout(ctx);
  await updateOpts(ctx, c.kind === 'plot' && c.traces[0]?.type === 'heatmap', (await service.summary(env, win))?.opts ?? {});
  return win;
}
