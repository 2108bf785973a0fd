/**
 * Deterministic, good-looking data for the browser test and its screenshot:
 * what a CNN training run would push.
 */

import { createRandom } from '../../../../test/support/random';

// Seeded, so screenshots are stable run to run.
export { createRandom };

/** A decaying loss with noise: `start·e^(−rate·step) + floor`. */
export function lossCurve(steps: number[], start: number, rate: number, seed: number, floor = 0.15): number[] {
  const rnd = createRandom(seed);
  return steps.map((s) => floor + start * Math.exp(-rate * s) + (rnd() - 0.5) * 0.12 * Math.exp(-s / 150));
}

/** A 3×N×N RGB image (CHW, floats in 0–1): a soft ring over a colour gradient. */
export function syntheticInput(n: number): Float32Array {
  const out = new Float32Array(3 * n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const dx = x / n - 0.5;
      const dy = y / n - 0.5;
      const r = Math.sqrt(dx * dx + dy * dy);
      const ring = Math.exp(-((r - 0.28) ** 2) / 0.004);
      const i = y * n + x;
      out[i] = Math.min(1, 0.15 + 0.55 * (x / n) + 0.5 * ring);
      out[n * n + i] = Math.min(1, 0.25 + 0.35 * (y / n) + 0.6 * ring);
      out[2 * n * n + i] = Math.min(1, 0.55 - 0.3 * (x / n) + 0.2 * ring);
    }
  }
  return out;
}

/** `count` grey N×N maps (NCHW, 0–1) like a first conv layer's: oriented stripes and blobs. */
export function featureMaps(count: number, n: number): Float32Array {
  const out = new Float32Array(count * n * n);
  for (let k = 0; k < count; k++) {
    const angle = (Math.PI * k) / count;
    const freq = 0.25 + 0.15 * (k % 4);
    const cx = Math.cos(angle);
    const sy = Math.sin(angle);
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const u = (x - n / 2) * cx + (y - n / 2) * sy;
        const r2 = ((x - n / 2) ** 2 + (y - n / 2) ** 2) / (n * n);
        const v = 0.5 + 0.5 * Math.cos(u * freq * 2) * Math.exp(-r2 * (k % 3 === 0 ? 3 : 1));
        out[k * n * n + y * n + x] = Math.max(0, Math.min(1, v));
      }
    }
  }
  return out;
}

/** A plausible 10-class confusion matrix (rows: truth, columns: prediction). */
export function confusionMatrix(classes: number): number[][] {
  const rnd = createRandom(7);
  return Array.from({ length: classes }, (_, i) =>
    Array.from({ length: classes }, (_, j) => (i === j ? 700 + Math.round(rnd() * 250) : Math.round(rnd() ** 3 * 90))),
  );
}

/** Weights-like values: a narrow normal, via Box–Muller. */
export function histogramValues(count: number): number[] {
  const rnd = createRandom(3);
  return Array.from({ length: count }, () => {
    const u = Math.max(1e-9, rnd());
    return 0.08 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  });
}
