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

/**
 * Load plotly when the page is idle: an env whose plots sit below a screen of
 * images would otherwise parse it on the first scroll into them, in one long
 * frame. Called when a plot pane is made, drawn or not.
 */
export function preloadPlotly(): void {
  if (loading !== undefined) return;
  const load = () => void loadPlotly();
  if ('requestIdleCallback' in window) requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
}
