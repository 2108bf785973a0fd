/**
 * `/update` on panes whose whole content is rewritten, not patched: heatmaps with row/column labels
 * (or replaced outright) and image histories. These go through create/put, which keeps the window's
 * place in the grid.
 * @module
 */
import { growMatrix, type PlotContent, type Trace, type UpdateOp, type Window } from '@cnnvis/protocol';
import { toStoredImage } from '../images/image-input';
import type { WindowService } from '../window-service';
import { toImageInput } from './image-content';
import { toTrace } from './plot-content';
import { badField } from '../errors';

type Body = Record<string, unknown>;
type Edge = 'appendRow' | 'appendColumn' | 'prependRow' | 'prependColumn';
const EDGES: readonly string[] = ['appendRow', 'appendColumn', 'prependRow', 'prependColumn'];

/** One `/update` request, resolved: where it goes and its `data` entries. */
export interface Ctx {
  service: WindowService;
  env: string;
  win: string;
  body: Body;
  data: Record<string, unknown>[];
}

/** Apply a native op to the request's window (validated, stored and broadcast by WindowService). */
export const apply = (ctx: Ctx, op: UpdateOp) => ctx.service.update({ env: ctx.env, win: ctx.win, op });

function labels(v: unknown): Array<string | number> | undefined {
  return Array.isArray(v) ? (v as Array<string | number>) : undefined;
}

/**
 * Visdom's label rules for a heatmap edge: names on both sides or on neither,
 * and (cnnvis adds) one name per new row or column, so labels and cells stay aligned.
 */
function checkEdgeLabels(axis: 'x' | 'y', held: unknown[] | undefined, sent: unknown[] | undefined, added: number): void {
  const what = axis === 'y' ? 'rows' : 'columns';
  if (held !== undefined && sent === undefined) throw badField(`data[0].${axis}`, `must name the new ${what}: the heatmap's ${what} have names`);
  if (held === undefined && sent !== undefined) throw badField(`data[0].${axis}`, `names the new ${what}, but the heatmap's ${what} have no names`);
  if (sent !== undefined && sent.length !== added) throw badField(`data[0].${axis}`, `has ${sent.length} names for ${added} new ${what}`);
}

/** Heatmap `updateDir` (appendRow, …, replace): a native edge op, or a rewrite when labels grow too. */
export async function updateHeatmap(ctx: Ctx, win: Window, plot: PlotContent): Promise<void> {
  const dir = ctx.body['updateDir'];
  const next = toTrace(ctx.data[0], 0, 'data[0]');
  const index = Math.max(0, plot.traces.findIndex((t) => t.type === 'heatmap'));
  const old = plot.traces[index] as Trace;
  const oldLabels = { x: labels(old.x) ?? labels(old.plotly?.['x']), y: labels(old.y) ?? labels(old.plotly?.['y']) };
  const newLabels = { x: labels(ctx.data[0]?.['x']), y: labels(ctx.data[0]?.['y']) };
  const edge = typeof dir === 'string' && EDGES.includes(dir) && ctx.body['append'] === true ? (dir as Edge) : undefined;
  if (edge !== undefined && next.z === undefined) throw badField('data[0].z', 'must be a matrix of numbers');
  if (edge !== undefined && !oldLabels.x && !oldLabels.y && !newLabels.x && !newLabels.y) {
    await apply(ctx, { type: 'heatmap', edge, z: next.z ?? [] });
    return;
  }
  let trace: Trace = { ...next, plotly: { ...(old.plotly ?? {}), ...(next.plotly ?? {}) } };
  if (edge !== undefined) {
    const z = growMatrix(old.z ?? [], edge, next.z ?? []);
    const axis = edge.endsWith('Row') ? 'y' : 'x';
    checkEdgeLabels(axis, oldLabels[axis], newLabels[axis], edge.endsWith('Row') ? (next.z?.length ?? 0) : (next.z?.[0]?.length ?? 0));
    const grown = edge.startsWith('append') ? [...(oldLabels[axis] ?? []), ...(newLabels[axis] ?? [])] : [...(newLabels[axis] ?? []), ...(oldLabels[axis] ?? [])];
    if (new Set(grown).size !== grown.length) throw badField(`data[0].${axis}`, 'labels must stay unique after the update');
    trace = { ...old, z };
    if (grown.length > 0) {
      const { [axis]: _drop, ...rest } = old.plotly ?? {};
      trace = { ...trace, [axis]: grown, plotly: rest };
    }
  }
  const traces = [...plot.traces];
  traces[index] = trace;
  await ctx.service.create({ env: ctx.env, win: ctx.win, content: { ...plot, traces }, opts: win.opts });
}

/** Append to an image history (selecting the newest) or move its selection. */
export async function updateImageHistory(ctx: Ctx, win: Window): Promise<void> {
  const c = win.content;
  if (c.kind !== 'image' || c.selected === undefined) {
    throw badField('win', `window '${ctx.win}' is an image, not an image history; only histories take updates`);
  }
  // Stored bytes come back without their captions, which the window's image refs keep.
  const images = await Promise.all(
    c.images.map(async (ref, i) => {
      const img = { ...(await ctx.service.image(ctx.env, ctx.win, i)) };
      if (ref.caption !== undefined) img.caption = ref.caption;
      return img;
    }),
  );
  const entry = ctx.data[0] as Record<string, unknown>;
  let selected: number;
  if (entry['type'] === 'image_update_selected') {
    const s = Number(entry['content'] ?? ctx.body['selected']);
    selected = Math.min(Math.max(Number.isFinite(s) ? Math.round(s) : 0, 0), images.length - 1);
  } else {
    images.push(toStoredImage(toImageInput(entry['content'], 'data[0].content'), 'data[0].content'));
    selected = images.length - 1;
  }
  await ctx.service.put({ env: ctx.env, win: ctx.win, content: { kind: 'image', images, nrow: c.nrow, padding: c.padding, selected }, opts: win.opts });
}
