/**
 * Occlusion's arithmetic, with no runtime: where the patches go, the input with one patch
 * filled, and the map of each pixel's mean score drop over the patches covering it.
 * @module
 */

/** One patch position. */
export interface Patch {
  y: number;
  x: number;
}

/** Every patch position of a plan (see the protocol's `occlusionPlan`), row by row. */
export function occlusionPatches(plan: { ys: readonly number[]; xs: readonly number[] }): Patch[] {
  return plan.ys.flatMap((y) => plan.xs.map((x) => ({ y, x })));
}

/** Writes `src` (one `[C, H, W]` item) into `dst` with the patch at `at` set to `fill`. */
export function occlude(dst: Float32Array, src: Float32Array, [c = 0, h = 0, w = 0]: readonly number[], at: Patch, patch: number, fill: number): void {
  dst.set(src);
  const y1 = Math.min(h, at.y + patch);
  const x1 = Math.min(w, at.x + patch);
  for (let ch = 0; ch < c; ch++) {
    for (let y = at.y; y < y1; y++) dst.fill(fill, ch * h * w + y * w + at.x, ch * h * w + y * w + x1);
  }
}

/** The occlusion map: per pixel, the mean of `base − score` over the patches covering it. */
export function occlusionMap(h: number, w: number, patches: readonly Patch[], patch: number, scores: Float32Array, base: number): Float32Array {
  const sum = new Float64Array(h * w);
  const count = new Uint32Array(h * w);
  patches.forEach((p, i) => {
    const drop = base - (scores[i] as number);
    for (let y = p.y; y < Math.min(h, p.y + patch); y++) {
      for (let x = p.x; x < Math.min(w, p.x + patch); x++) {
        const i = y * w + x;
        sum[i] = (sum[i] as number) + drop;
        count[i] = (count[i] as number) + 1;
      }
    }
  });
  const map = new Float32Array(h * w);
  for (let i = 0; i < map.length; i++) if ((count[i] as number) > 0) map[i] = (sum[i] as number) / (count[i] as number);
  return map;
}
