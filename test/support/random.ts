/**
 * A small seeded PRNG (mulberry32) for tests: data that looks random but is
 * the same on every run, so a failure (or a screenshot) can be reproduced.
 */

/** @example const rnd = createRandom(42); rnd(); // a number in [0, 1) */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
