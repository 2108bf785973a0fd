/**
 * A plot pane: appends go through `extendTraces` so a training loop never redraws the whole
 * figure, the rest through `react`; calls run one after another on a promise chain.
 * @module
 */
import type { UpdateOp, Window } from '@cnnvis/protocol';
import type { PlotlyHTMLElement, PlotlyStatic } from 'plotly.js-dist-min';
import type { WindowChange } from '../state/store';
import { downloadUrl } from './download';
import { buildFigure, buildLayout, buildTrace, PLOT_CONFIG } from './plot-figure';
import type { PaneView, ViewHooks } from './pane-view';

let loading: Promise<PlotlyStatic> | undefined;

/** The plotly module, loaded once on first use, in its own chunk (it is most of the bundle), so the shell paints before it arrives. */
function loadPlotly(): Promise<PlotlyStatic> {
  loading ??= import('plotly.js-dist-min').then((m) => m.default);
  return loading;
}

/**
 * Load plotly when the page is idle: an env whose plots sit below a screen of
 * images would otherwise parse it on the first scroll into them, in one long
 * frame. Called when a plot pane is made, drawn or not.
 */
function preloadPlotly(): void {
  if (loading !== undefined) return;
  const load = () => void loadPlotly();
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
}

type AppendOp = Extract<UpdateOp, { type: 'append' }>;

/** Count a draw in a data attribute, so tests can tell an extend from a redraw. */
function bump(el: HTMLElement, key: 'fullDraws' | 'extends'): void {
  el.dataset[key] = String(Number(el.dataset[key] ?? '0') + 1);
}

async function drawFull(Plotly: PlotlyStatic, el: HTMLElement, win: Window): Promise<void> {
  const { data, layout } = buildFigure(win);
  await Plotly.react(el, data, layout, PLOT_CONFIG);
  bump(el, 'fullDraws');
}

/** Extend existing traces and add new ones; `win` already holds every op's points. */
async function drawAppends(Plotly: PlotlyStatic, el: PlotlyHTMLElement, win: Window, ops: AppendOp[]) {
  const traces = win.content.kind === 'plot' ? win.content.traces : [];
  const extend = new Map<number, { x: unknown[]; y: unknown[]; color?: unknown[] }>();
  const added = new Set<string>();
  for (const op of ops) {
    for (const p of op.traces) {
      // The server resolves index selectors to names; fall back to the index just in case.
      const name = p.name ?? traces[p.index ?? -1]?.name;
      if (name === undefined || added.has(name)) continue;
      const at = el.data.findIndex((d) => d['meta'] === name);
      if (at < 0) {
        // New trace: the final state already holds all of this frame's points for it.
        const index = traces.findIndex((t) => t.name === name);
        const trace = traces[index];
        if (trace !== undefined) await Plotly.addTraces(el, buildTrace(trace, index, win.opts));
        added.add(name);
        continue;
      }
      const acc = extend.get(at) ?? { x: [], y: [] };
      acc.x.push(...p.x);
      acc.y.push(...p.y);
      if (p.color !== undefined) (acc.color ??= []).push(...p.color);
      extend.set(at, acc);
    }
  }
  // A second trace turns plotly's automatic legend on; make room for it above the plot.
  if (added.size > 0) await Plotly.relayout(el, { margin: buildLayout(win)['margin'] });
  if (extend.size === 0) return;
  // Per-point colours (a Visdom scatter's markercolor) grow marker.color alongside x and y.
  // Plotly extends only an array, and every listed trace must get each key, so those go in a call of their own.
  const colored = [...extend].filter(([at, p]) => p.color !== undefined && Array.isArray(markerColor(el, at)));
  if (colored.length < [...extend.values()].filter((p) => p.color !== undefined).length) return drawFull(Plotly, el, win);
  for (const group of [[...extend].filter(([, p]) => p.color === undefined), colored]) {
    if (group.length === 0) continue;
    const update: Record<string, unknown[][]> = { x: group.map(([, p]) => p.x), y: group.map(([, p]) => p.y) };
    if (group === colored) update['marker.color'] = group.map(([, p]) => p.color ?? []);
    await Plotly.extendTraces(el, update, group.map(([at]) => at));
  }
  bump(el, 'extends');
}

function markerColor(el: PlotlyHTMLElement, at: number): unknown {
  const marker = el.data[at]?.['marker'];
  return typeof marker === 'object' && marker !== null ? (marker as Record<string, unknown>)['color'] : undefined;
}

/** @example const view = createPlotView(body, { ready: (r) => (root.dataset.ready = String(r)) }); */
export function createPlotView(body: HTMLElement, hooks: ViewHooks): PaneView {
  const el = document.createElement('div') as HTMLDivElement as PlotlyHTMLElement;
  el.className = 'plot';
  body.append(el);
  preloadPlotly();
  let drawn = false;
  let chain: Promise<void> = Promise.resolve();
  const queue = (step: (Plotly: PlotlyStatic) => Promise<void>) => {
    chain = chain
      .then(async () => step(await loadPlotly()))
      .catch((err: unknown) => console.error('cnnvis: plot draw failed', err));
  };

  return {
    render(win: Window, change: WindowChange) {
      queue(async (Plotly) => {
        const appends = change.type === 'ops' && change.ops.every((op) => op.type === 'append');
        if (drawn && appends) await drawAppends(Plotly, el, win, change.ops as AppendOp[]);
        else await drawFull(Plotly, el, win);
        drawn = true;
        hooks.ready(true);
      });
      return chain;
    },
    resize() {
      if (drawn) queue((Plotly) => Plotly.Plots.resize(el));
    },
    async download(filename, title) {
      const Plotly = await loadPlotly();
      // Render a copy with the pane title on top: in the UI it lives in the pane header.
      const layout = { ...el.layout, title: { text: title, x: 0.02, font: { size: 14 } } };
      const margin = { ...(el.layout['margin'] as object), t: 48 };
      const url = await Plotly.toImage(
        { data: el.data, layout: { ...layout, margin } },
        { format: 'png', width: el.clientWidth || 640, height: (el.clientHeight || 400) + 36, scale: 2 },
      );
      downloadUrl(url, filename);
    },
    dispose() {
      chain = chain.then(async () => (await loadPlotly()).purge(el));
    },
  };
}
