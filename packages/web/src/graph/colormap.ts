/**
 * Colormaps as 256-entry RGB lookup tables, built once from matplotlib's control points.
 * @module
 */

export const COLORMAPS = ['viridis', 'magma', 'gray', 'inferno', 'coolwarm'] as const;
export type ColormapName = (typeof COLORMAPS)[number];

/** Evenly spaced control colours (hex); in between is linear. */
const STOPS: Record<ColormapName, readonly string[]> = {
  viridis: ['440154', '482475', '414487', '355f8d', '2a788e', '21918c', '22a884', '44bf70', '7ad151', 'bddf26', 'fde725'],
  magma: ['000004', '140e36', '3b0f70', '641a80', '8c2981', 'b73779', 'de4968', 'f7705c', 'fe9f6d', 'fecf92', 'fcfdbf'],
  inferno: ['000004', '160b39', '420a68', '6a176e', '932667', 'bc3754', 'dd513a', 'f37819', 'fca50a', 'f6d746', 'fcffa4'],
  gray: ['000000', 'ffffff'],
  // Diverging, for signed values such as weights: blue below the middle, red above.
  coolwarm: ['3b4cc0', '6788ee', '9abbff', 'c9d7f0', 'edd1c2', 'f7a889', 'e26952', 'b40426'],
};

const cache = new Map<ColormapName, Uint8Array>();

/**
 * RGB triples for t = 0/255 … 255/255.
 * @example const lut = colormapLut('viridis'); const [r, g, b] = lut.subarray(3 * 255, 3 * 256);
 */
export function colormapLut(name: ColormapName): Uint8Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const stops = STOPS[name].map((h) => [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * (stops.length - 1);
    const lo = Math.min(stops.length - 2, Math.floor(pos));
    const f = pos - lo;
    for (let c = 0; c < 3; c++) {
      const a = stops[lo]?.[c] ?? 0;
      const b = stops[lo + 1]?.[c] ?? 0;
      lut[i * 3 + c] = Math.round(a + (b - a) * f);
    }
  }
  cache.set(name, lut);
  return lut;
}

/**
 * A CSS colour for t in [0, 1] (clamped).
 * @example colormapCss('gray', 1) // 'rgb(255,255,255)'
 */
export function colormapCss(name: ColormapName, t: number): string {
  const lut = colormapLut(name);
  const i = Math.round(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * 255) * 3;
  return `rgb(${lut[i]},${lut[i + 1]},${lut[i + 2]})`;
}

/** A CSS gradient of the map, for legends and the picker. */
export function colormapGradient(name: ColormapName): string {
  const steps = Array.from({ length: 9 }, (_, i) => colormapCss(name, i / 8));
  return `linear-gradient(90deg, ${steps.join(', ')})`;
}

/** Whether dark or light text reads better on a colour of the map at t. */
export function isDarkAt(name: ColormapName, t: number): boolean {
  const lut = colormapLut(name);
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255) * 3;
  const luma = 0.2126 * (lut[i] ?? 0) + 0.7152 * (lut[i + 1] ?? 0) + 0.0722 * (lut[i + 2] ?? 0);
  return luma < 120;
}
