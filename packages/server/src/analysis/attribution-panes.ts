/**
 * An attribution's panes, with no worker: the input beside the input with
 * the heatmap over it and the heatmap alone (one image pane), and the heatmap's
 * values as a plotly heatmap (a plot pane, rows top down as in the picture).
 * @module
 */
import type { PlotContent } from '@cnnvis/protocol';
import type { AttributionOutput, InputThumbnail } from '@cnnvis/worker/pool';
import type { StoredImage } from '../store/window-store';

/** Viridis at five stops, 0 → 1. */
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

/** An 8-bit RGB colour for `t` in [0, 1]. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const [a, b, f] = [STOPS[i] as readonly number[], STOPS[i + 1] as readonly number[], x - i];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) * (1 - f) + (b[c] as number) * f)) as [number, number, number];
}

/** The heatmap scaled to [0, 1]: its positive part over its largest value (what speaks for the target). */
export function unitHeat(heatmap: ArrayLike<number>): Float32Array {
  let hi = 0;
  for (let i = 0; i < heatmap.length; i++) hi = Math.max(hi, heatmap[i] as number);
  return Float32Array.from(heatmap, (v) => (hi > 0 ? Math.max(0, v) / hi : 0));
}

/** Opacity of the heatmap over the input where it is strongest; weak areas let the input show through. */
export const OVERLAY_OPACITY = 0.6;

/**
 * The input, the input under the heatmap, and the heatmap, each `[3, H, W]` planar RGB. Without a
 * picture (an input that is no 1- or 3-channel image) only the heatmap.
 */
export function attributionImages(heatmap: ArrayLike<number>, [h, w]: readonly [number, number], picture: InputThumbnail | undefined, what: string): StoredImage[] {
  const plane = h * w;
  const heat = unitHeat(heatmap);
  const coloured = new Uint8Array(3 * plane);
  for (let i = 0; i < plane; i++) viridis(heat[i] as number).forEach((v, c) => (coloured[c * plane + i] = v));
  const map: StoredImage = { encoding: 'raw', width: w, height: h, channels: 3, data: coloured, caption: what };
  if (picture === undefined || picture.width !== w || picture.height !== h) return [map];
  const rgb = new Uint8Array(3 * plane);
  for (let c = 0; c < 3; c++) rgb.set(picture.data.subarray((picture.channels === 3 ? c : 0) * plane, ((picture.channels === 3 ? c : 0) + 1) * plane), c * plane);
  const over = new Uint8Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    const a = OVERLAY_OPACITY * (heat[i] as number);
    for (let c = 0; c < 3; c++) over[c * plane + i] = Math.round((rgb[c * plane + i] as number) * (1 - a) + (coloured[c * plane + i] as number) * a);
  }
  return [
    { encoding: 'raw', width: w, height: h, channels: 3, data: rgb, caption: 'input' },
    { encoding: 'raw', width: w, height: h, channels: 3, data: over, caption: `input and ${what}` },
    map,
  ];
}

/** The heatmap as a plot pane, row 0 at the top as in the picture. */
export function heatmapPlot(heatmap: ArrayLike<number>, [h, w]: readonly [number, number]): PlotContent {
  const z = Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => heatmap[y * w + x] as number));
  return {
    kind: 'plot',
    traces: [{ name: 'heatmap', type: 'heatmap', z, plotly: { colorscale: 'Viridis' } }],
    layout: { yaxis: { autorange: 'reversed', scaleanchor: 'x' } },
  };
}

/** The panes' title: the method, the target (with its label) and what the method used. */
export function attributionTitle(out: AttributionOutput, label: string | undefined): string {
  const target = label === undefined ? `class ${out.target}` : `${label} (${out.target})`;
  const how = out.method === 'occlusion' ? `${out.patch}px patch, stride ${out.stride}` : `${out.layer ?? ''}`;
  return `${out.method} · ${target} · ${how} · ${out.passes} passes`;
}
