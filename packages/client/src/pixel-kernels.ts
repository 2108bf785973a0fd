/**
 * Float pixels to bytes with the WebAssembly SIMD kernels the worker uses for
 * feature maps (from `@cnnvis/protocol`): a 3×224×224 float image took about
 * 1 ms in the best plain JS loop, most of an SDK call's own time; the
 * one-pass `pixelBytes` kernel does it in a few percent of that, with the
 * same float32 arithmetic, so the bytes are identical. Planes holding NaN or ±Inf, runtimes without
 * WebAssembly SIMD, and huge images return undefined: the JS loop takes them.
 * @module
 */
import { align16, instantiateSimdKernels, reserveSimdMemory, type SimdKernelExports } from '@cnnvis/protocol';

/** WebAssembly memory never shrinks: images past this (64 MiB of floats) take the JS loop. */
const MAX_FLOATS = 16 * 2 ** 20;

let kernels: SimdKernelExports | null | undefined;

/**
 * Bytes as {@link toUint8Pixels} makes them (×255 when the largest value is at
 * most 1, +0.5, truncated, clamped to 0–255), or undefined for the JS loop.
 * `alloc` gives the array they are written to.
 * @example
 * floatsToBytesSimd(new Float32Array([0, 0.5, 1])); // Uint8Array [0, 128, 255]
 */
export function floatsToBytesSimd(data: Float32Array, alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n)): Uint8Array | undefined {
  // Made once; null (no SIMD here) is remembered too.
  if (kernels === undefined) kernels = instantiateSimdKernels();
  const k = kernels;
  const n = data.length;
  if (k === null || n === 0 || n > MAX_FLOATS) return undefined;
  const resultsAt = align16(n * 4);
  const bytesAt = resultsAt + 16;
  const buffer = reserveSimdMemory(k, bytesAt + n);
  new Float32Array(buffer, 0, n).set(data);
  // One pass writes the bytes for values in [0, 1] while it finds the largest value.
  k.pixelBytes(0, n, 255, bytesAt, resultsAt);
  const [max, nonFinite] = new Float64Array(buffer, resultsAt, 2);
  if (nonFinite !== 0 || max === undefined) return undefined;
  if (max > 1) k.pixelBytes(0, n, 1, bytesAt, resultsAt);
  const out = alloc(n);
  out.set(new Uint8Array(buffer, bytesAt, n));
  return out;
}
