/**
 * Geometry of a channel grid: tiles of a [C, H, W] (or flat [N]) map, their drawn size, and
 * which channel and pixel a point falls on.
 * @module
 */

export interface MapTiles {
  channels: number;
  /** Pixels per tile, as drawn; a flat [N] map is wrapped into rows. */
  h: number;
  w: number;
  /** Stored values per channel (h·w, or N for a flat map, which may leave the last row short). */
  size: number;
}

/**
 * @example mapTiles([64, 56, 56]) // { channels: 64, h: 56, w: 56, size: 3136 }
 * @example mapTiles([10]) // { channels: 1, h: 1, w: 10, size: 10 }: ten logits in a row
 */
export function mapTiles(shape: readonly number[]): MapTiles {
  if (shape.length >= 3) {
    const [c = 1, h = 1, w = 1] = shape.slice(-3);
    return { channels: c, h, w, size: h * w };
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const w = n <= 64 ? n : Math.ceil(Math.sqrt(n));
  return { channels: 1, h: Math.max(1, Math.ceil(n / Math.max(1, w))), w: Math.max(1, w), size: n };
}

export interface GridGeometry {
  cols: number;
  rows: number;
  /** Tile size in CSS px. */
  tileW: number;
  tileH: number;
  gap: number;
  width: number;
  height: number;
}

/**
 * Tiles of `t` in a grid about as wide as `width` px, roughly square overall.
 * @example gridGeometry(mapTiles([16, 28, 28]), 200) // 4 columns of 48 px tiles
 */
export function gridGeometry(t: MapTiles, width: number, gap = 2, maxTile = 72): GridGeometry {
  const cols = Math.max(1, Math.min(t.channels, Math.ceil(Math.sqrt((t.channels * t.h) / t.w))));
  const rows = Math.ceil(t.channels / cols);
  const tileW = Math.max(4, Math.min(maxTile, Math.floor((width - (cols - 1) * gap) / cols)));
  const tileH = Math.max(1, Math.round((tileW * t.h) / t.w));
  return { cols, rows, tileW, tileH, gap, width: cols * tileW + (cols - 1) * gap, height: rows * tileH + (rows - 1) * gap };
}

/**
 * The channel and pixel under CSS point (x, y) of the grid, or null in a gap.
 * @example cellAt(mapTiles([4, 2, 2]), gridGeometry(mapTiles([4, 2, 2]), 42), 30, 5) // { channel: 1, x: 0, y: 0 }
 */
export function cellAt(t: MapTiles, g: GridGeometry, x: number, y: number): { channel: number; x: number; y: number } | null {
  const col = Math.floor(x / (g.tileW + g.gap));
  const row = Math.floor(y / (g.tileH + g.gap));
  const ox = x - col * (g.tileW + g.gap);
  const oy = y - row * (g.tileH + g.gap);
  const channel = row * g.cols + col;
  if (col < 0 || row < 0 || col >= g.cols || ox >= g.tileW || oy >= g.tileH || channel >= t.channels) return null;
  return { channel, x: Math.floor((ox / g.tileW) * t.w), y: Math.floor((oy / g.tileH) * t.h) };
}

/** Index of pixel (x, y) of `channel` in the stored bytes, or null past a flat map's end. */
export function byteIndex(t: MapTiles, channel: number, x: number, y: number): number | null {
  const i = y * t.w + x;
  return x < 0 || y < 0 || x >= t.w || i >= t.size ? null : channel * t.size + i;
}
