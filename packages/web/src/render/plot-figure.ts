/**
 * Window → plotly figure, as a pure function. Arrays are copied: `extendTraces` grows the
 * arrays it holds in place, and those must never be the store's.
 * @module
 */
import type { Trace, Window, WindowOpts } from '@cnnvis/protocol';
import type { PlotData, PlotLayout } from 'plotly.js-dist-min';

/** Colors that stay readable on white and tell 10 traces apart. */
const TRACE_COLORS = [
  '#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea',
  '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d',
];

/** Plotly config shared by every plot pane. */
export const PLOT_CONFIG = {
  displaylogo: false,
  responsive: false, // the pane's ResizeObserver resizes; plotly's own listener only knows the window
  modeBarButtonsToRemove: ['toImage', 'lasso2d', 'select2d'],
};

/** One plotly trace; `meta` keeps the cnnvis name so appends find it even when a legend renames it. */
export function buildTrace(trace: Trace, index: number, opts: WindowOpts): PlotData {
  const color = TRACE_COLORS[index % TRACE_COLORS.length];
  const out: PlotData = { type: trace.type, name: opts.legend?.[index] ?? trace.name, meta: trace.name };
  if (trace.x !== undefined) out['x'] = [...trace.x];
  if (trace.y !== undefined) out['y'] = [...trace.y];
  // The store hands back `[]` for an axis never sent (a box or histogram of y alone). Plotly
  // would pair the values with nothing and draw nothing: drop that axis, or for a line,
  // number the points as Visdom does (keeping an array there for later appends).
  for (const [empty, full] of [['x', 'y'], ['y', 'x']] as const) {
    const values = out[full] as unknown[] | undefined;
    if ((out[empty] as unknown[] | undefined)?.length !== 0 || values === undefined || values.length === 0) continue;
    if (trace.type === 'scatter' || trace.type === 'scattergl') out[empty] = values.map((_, i) => i);
    else delete out[empty];
  }
  if (trace.orientation !== undefined) out['orientation'] = trace.orientation;
  if (trace.nbinsx !== undefined) out['nbinsx'] = trace.nbinsx;
  if (trace.z !== undefined && trace.type !== 'heatmap') out['z'] = trace.z.map((row) => [...row]);
  switch (trace.type) {
    case 'scatter':
    case 'scattergl':
      out['mode'] = trace.mode ?? 'lines';
      out['line'] = { color, width: 2 };
      out['marker'] = { color, size: opts.markersize ?? 6 };
      break;
    case 'bar':
    case 'histogram':
      out['marker'] = { color };
      break;
    case 'heatmap':
      out['z'] = (trace.z ?? []).map((row) => [...row]);
      out['colorscale'] = opts.colormap ?? 'Viridis';
      if (opts.zmin !== undefined) out['zmin'] = opts.zmin;
      if (opts.zmax !== undefined) out['zmax'] = opts.zmax;
      out['colorbar'] = { thickness: 12, outlinewidth: 0 };
      break;
  }
  // Visdom's own attributes (marker, line, fill, colorscale, …) override cnnvis's styling.
  const merged = trace.plotly === undefined ? out : deepMerge(out, trace.plotly);
  merged['meta'] = trace.name;
  return merged;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `extra` merged into a copy of `base`: nested objects merge, anything else
 * (arrays, numbers, strings) from `extra` replaces. Arrays are copied, so
 * plotly never grows an array the store holds.
 * @example deepMerge({ line: { color: 'red', width: 2 } }, { line: { dash: 'dot' } })
 * // { line: { color: 'red', width: 2, dash: 'dot' } }
 */
export function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const prev = out[key];
    if (isRecord(value)) out[key] = deepMerge(isRecord(prev) ? prev : {}, value);
    else if (Array.isArray(value)) out[key] = structuredClone(value);
    else out[key] = value;
  }
  return out;
}

function axis(label: string | undefined, type: WindowOpts['xtype'], range: [number, number] | undefined) {
  const out: Record<string, unknown> = {
    gridcolor: '#eef0f3',
    zerolinecolor: '#d6dae1',
    linecolor: '#d6dae1',
    automargin: true,
  };
  if (label !== undefined) out['title'] = { text: label, standoff: 6 };
  if (type !== undefined) out['type'] = type;
  if (range !== undefined) out['range'] = [...range];
  return out;
}

/** The layout; legend placement and margins are tuned for small panes. */
export function buildLayout(win: Window): PlotLayout {
  const { opts } = win;
  const layout: PlotLayout = {
    autosize: true,
    margin: { l: 44, r: 12, t: 12, b: 36, pad: 0 },
    font: { family: 'Inter, system-ui, -apple-system, "Segoe UI", sans-serif', size: 11, color: '#374151' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    xaxis: axis(opts.xlabel, opts.xtype, opts.xrange),
    yaxis: axis(opts.ylabel, opts.ytype, opts.yrange),
    legend: { orientation: 'h', x: 0, y: 1, xanchor: 'left', yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)' },
    hovermode: 'closest',
    barmode: opts.stacked === true ? 'stack' : 'group',
    // Tells Plotly.react that the data changed even where array identity did not.
    datarevision: win.rev,
  };
  const showlegend = opts.showlegend ?? (opts.legend !== undefined ? true : undefined);
  if (showlegend !== undefined) layout['showlegend'] = showlegend;
  const legendShown = showlegend ?? (win.content.kind === 'plot' && win.content.traces.length > 1);
  if (legendShown) layout['margin'] = { l: 44, r: 12, t: 28, b: 36, pad: 0 };
  // A Visdom client's explicit layout wins over cnnvis's defaults.
  if (win.content.kind === 'plot' && win.content.layout !== undefined) {
    return { ...deepMerge(layout, win.content.layout), datarevision: win.rev };
  }
  return layout;
}

/** The whole figure for a plot window; empty for other kinds. */
export function buildFigure(win: Window): { data: PlotData[]; layout: PlotLayout } {
  const traces = win.content.kind === 'plot' ? win.content.traces : [];
  return { data: traces.map((t, i) => buildTrace(t, i, win.opts)), layout: buildLayout(win) };
}
