/**
 * plotly.js is most of the bundle. It is loaded on first use, in its own
 * chunk, so the shell (header, grid, images, text) paints before it arrives.
 * @module
 */
import type { PlotlyStatic } from 'plotly.js-dist-min';

let loading: Promise<PlotlyStatic> | undefined;

/** The plotly module, loaded once. */
export function loadPlotly(): Promise<PlotlyStatic> {
  loading ??= import('plotly.js-dist-min').then((m) => m.default);
  return loading;
}
