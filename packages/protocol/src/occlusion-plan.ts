/**
 * An attribution's size known before it runs, without zod, for the web UI.
 * @module
 */

/** Heatmaps a run keeps; older ones go first. */
export const MAX_KEPT_ATTRIBUTIONS = 16;

/**
 * The passes an occlusion runs on an `h`×`w` input: the patch steps `stride` pixels, the last
 * step ending at the edge. `patch` defaults to a seventh of the shorter side, `stride` to half.
 * @example
 * occlusionPlan(224, 224, 32, 16); // { patch: 32, stride: 16, ys: [0, 16, …, 192], xs: […], passes: 169 }
 */
export function occlusionPlan(h: number, w: number, patch?: number, stride?: number): { patch: number; stride: number; ys: number[]; xs: number[]; passes: number } {
  const p = patch ?? Math.max(1, Math.round(Math.min(h, w) / 7));
  const s = stride ?? Math.max(1, Math.floor(p / 2));
  // A zero or fractional step would never reach the edge.
  if (!Number.isInteger(p) || !Number.isInteger(s) || p < 1 || s < 1) throw new RangeError(`patch and stride must be whole numbers of at least 1; got ${p} and ${s}`);
  const starts = (size: number) => {
    if (p >= size) return [0];
    const out: number[] = [];
    for (let at = 0; at + p < size; at += s) out.push(at);
    out.push(size - p);
    return out;
  };
  const [ys, xs] = [starts(h), starts(w)];
  return { patch: p, stride: s, ys, xs, passes: ys.length * xs.length };
}
