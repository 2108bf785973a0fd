/**
 * A new pane's size in grid cells: `opts.width/height` (pixels, as in Visdom), else per kind;
 * image grids get their grid's shape.
 * @module
 */
import type { Window } from '@cnnvis/protocol';

/** Grid geometry: 12 columns, rows of `CELL_HEIGHT_PX`. */
export const GRID_COLUMNS = 12;
export const CELL_HEIGHT_PX = 40;
/** Title bar (`.pane-header`), image insets and a caption line, in px. */
const CHROME_PX = 34 + 16 + 22;
/** Widest a new image pane gets by default, in columns. */
const MAX_IMAGE_W = 6;
/** Every kind starts 8 rows high, so auto-placed rows line up. */
const DEFAULT_H = 8;
/** A graph pane starts this many rows high (800 px): with its panel, most of a laptop screen. */
const GRAPH_H = 20;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

/**
 * @param columnWidth width of one grid column in px
 * @example defaultPaneSize(win, 110) // { w: 4, h: 8 }
 */
export function defaultPaneSize(win: Window, columnWidth: number): { w: number; h: number } {
  const col = Math.max(1, columnWidth);
  const { width, height } = win.opts;
  const h = height !== undefined ? clamp(height / CELL_HEIGHT_PX, 2, 100) : DEFAULT_H;
  if (width !== undefined) return { w: clamp(width / col, 1, GRID_COLUMNS), h };
  // A layer graph and its side panel need room: the whole row, and most of a screen.
  if (win.content.kind === 'graph') return { w: GRID_COLUMNS, h: height !== undefined ? h : GRAPH_H };
  if (win.content.kind !== 'image') return { w: 4, h };
  const { images, nrow } = win.content;
  const columns = Math.max(1, Math.min(nrow, images.length));
  const rows = Math.ceil(images.length / columns);
  const first = images[0];
  const aspect = first ? (columns * first.width) / (rows * first.height) : 1;
  const w = clamp(((h * CELL_HEIGHT_PX - CHROME_PX) * aspect) / col, 3, MAX_IMAGE_W);
  if (height !== undefined || (h * CELL_HEIGHT_PX - CHROME_PX) * aspect <= MAX_IMAGE_W * col) return { w, h };
  // A wide grid (8 feature maps per row) hits the width cap: shorten the pane instead of letterboxing.
  return { w, h: clamp((w * col) / aspect / CELL_HEIGHT_PX + CHROME_PX / CELL_HEIGHT_PX, 3, h) };
}
