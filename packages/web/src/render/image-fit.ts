/**
 * How big to draw each cell of an image grid so the whole grid fits its pane,
 * as a pure function: small images (MNIST's 28×28) are scaled up, big ones down.
 * @module
 */

export interface ImageFitInput {
  /** Pane body size in CSS pixels. */
  width: number;
  height: number;
  /** Largest image size in pixels. */
  cellWidth: number;
  cellHeight: number;
  count: number;
  /** Images per row. */
  nrow: number;
  /** Gap between cells in pixels. */
  padding: number;
  /** Height taken under each row by captions, and under the grid by the pane caption. */
  rowCaption: number;
  gridCaption: number;
}

/** Below this a cell is unreadable; the grid scrolls instead of shrinking further. */
const MIN_CELL_PX = 12;

/**
 * @example
 * fitImages({ width: 400, height: 300, cellWidth: 28, cellHeight: 28, count: 1, nrow: 8,
 *   padding: 2, rowCaption: 0, gridCaption: 0 }) // { columns: 1, rows: 1, scale: ~10.4 }
 */
export function fitImages(f: ImageFitInput): { columns: number; rows: number; scale: number } {
  const columns = Math.max(1, Math.min(f.nrow, f.count));
  const rows = Math.max(1, Math.ceil(f.count / columns));
  const freeW = f.width - (columns - 1) * f.padding;
  const freeH = f.height - (rows - 1) * f.padding - rows * f.rowCaption - f.gridCaption;
  const scale = Math.min(freeW / (columns * f.cellWidth), freeH / (rows * f.cellHeight));
  const floor = MIN_CELL_PX / Math.max(1, Math.min(f.cellWidth, f.cellHeight));
  return { columns, rows, scale: Math.max(floor, Number.isFinite(scale) ? scale : 1) };
}
