/**
 * Histogram binning in the SDK, so a million values travel as `numbins` counts.
 * @module
 */

/** Equal-width bins from the smallest to the largest value. */
export interface Bins {
  /** Centre of each bin, for the x axis. */
  centres: number[];
  /** How many values fell in each bin. */
  counts: number[];
  /** Left edge of the first bin. */
  min: number;
  /** Right edge of the last bin. */
  max: number;
  width: number;
}

/**
 * Count `values` into `numbins` equal bins over [min, max], the last including the maximum (as
 * numpy does); NaN and ±Infinity are skipped. Equal values widen the range by 0.5 on each side.
 * @example
 * binValues([0, 1, 1, 2], 2); // { centres: [0.5, 1.5], counts: [1, 3], min: 0, max: 2, width: 1 }
 */
export function binValues(values: ArrayLike<number>, numbins: number): Bins {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) {
    min = 0;
    max = 1;
  } else if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / numbins;
  const counts = new Array<number>(numbins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const bin = Math.min(numbins - 1, Math.floor((v - min) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const centres = counts.map((_, k) => min + (k + 0.5) * width);
  return { centres, counts, min, max, width };
}
