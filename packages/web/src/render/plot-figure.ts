/**
 * Window → plotly figure, as a pure function. The pane title lives in the
 * pane header, so the figure spends its pixels on data. Arrays are copied:
 * plotly's `extendTraces` grows the arrays it holds in place, and those must
 * never be the store's.
 * @module
 */
import type { Trace, Window, WindowOpts } from '@cnnvis/protocol';
import type { PlotData, PlotLayout } from 'plotly.js-dist-min';

/** Colors that stay readable on white and tell 10 traces apart. */
export const TRACE_COLORS = [
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
  if (trace.orientation !== undefined) out['orientation'] = trace.orientation;
  if (trace.nbinsx !== undefined) out['nbinsx'] = trace.nbinsx;
  switch (trace.type) {
    case 'scatter':
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
  return layout;
}

/** The whole figure for a plot window; empty for other kinds. */
export function buildFigure(win: Window): { data: PlotData[]; layout: PlotLayout } {
  const traces = win.content.kind === 'plot' ? win.content.traces : [];
  return { data: traces.map((t, i) => buildTrace(t, i, win.opts)), layout: buildLayout(win) };
}
