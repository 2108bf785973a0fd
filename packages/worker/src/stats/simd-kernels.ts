/**
 * The SIMD statistics kernels (simd-module.ts) instantiated once per process.
 * Two ways to use their memory: {@link SimdKernels.load} copies one tensor in
 * (its floats from byte 0, then the per-plane results, then room for one
 * channel's bytes) and both statistics and feature map read that copy; or a
 * caller lays a whole run out in it (activation-arena.ts), ONNX Runtime
 * writes the activations there itself, and {@link SimdKernels.summarize}
 * works at the caller's offsets.
 * @module
 */
import { align16, instantiateSimdKernels, PLANE_RESULT_BYTES, reserveSimdMemory, type SimdKernelExports } from '@cnnvis/protocol';

/** A tensor copied into the kernels' memory. Valid until the next {@link SimdKernels.load}. */
export interface LoadedTensor {
  /**
   * Raw moments of `count` planes of `plane` floats each, from the start:
   * 5 numbers per plane (see simd-module.ts). A view: read it before the next call.
   */
  planeSums(plane: number, count: number): Float64Array;
  /** Quantises `len` floats from float index `start` over [lo, hi] into `dst`, as quantizeInto does. */
  quantize(start: number, len: number, lo: number, hi: number, dst: Uint8Array): void;
}

export interface SimdKernels {
  /**
   * Copies `data` in; `planes` results and a `channelBytes` channel must fit
   * beside it. Null for a tensor past {@link MAX_LOADED_BYTES}.
   */
  load(data: Float32Array, planes: number, channelBytes: number): LoadedTensor | null;
  /**
   * The memory, grown to at least `bytes`, or null past {@link MAX_LOADED_BYTES}.
   * Views of it stay valid until the next reserve or load (growing detaches them).
   */
  reserve(bytes: number): ArrayBuffer | null;
  /**
   * At byte offsets of the memory: the raw moments of `count` planes of
   * `plane` floats from `floatsAt` to `resultsAt` (5 numbers per plane), and
   * the first `quantized` planes quantised each over its own range to
   * `plane` bytes apiece from `mapAt`; planes holding NaN or Inf are left
   * for the caller to quantise (see simd-module.ts).
   */
  summarize(floatsAt: number, plane: number, count: number, resultsAt: number, mapAt: number, quantized: number): void;
  /** Quantises `len` floats from byte `srcAt` over [lo, hi] to bytes from `dstAt`, as quantizeInto does. */
  quantizeAt(srcAt: number, len: number, lo: number, hi: number, dstAt: number): void;
}

/**
 * The largest tensor copied in. WebAssembly memory never shrinks, so one huge
 * tensor would keep the worker that large; those few take the JS loops.
 */
export const MAX_LOADED_BYTES = 256 * 2 ** 20;

function around(k: SimdKernelExports): SimdKernels {
  return {
    reserve: (bytes) => (bytes > MAX_LOADED_BYTES ? null : reserveSimdMemory(k, bytes)),
    summarize(floatsAt, plane, count, resultsAt, mapAt, quantized) {
      if (plane > 0 && count > 0) k.summarize(floatsAt, plane, count, resultsAt, mapAt, quantized);
    },
    quantizeAt: (srcAt, len, lo, hi, dstAt) => k.quantize(srcAt, len, lo, hi > lo ? 255 / (hi - lo) : 0, dstAt),
    load(data, planes, channelBytes) {
      const resultsAt = align16(data.byteLength);
      const channelAt = align16(resultsAt + planes * PLANE_RESULT_BYTES);
      const need = channelAt + channelBytes;
      if (need > MAX_LOADED_BYTES) return null;
      const buffer = reserveSimdMemory(k, need);
      new Float32Array(buffer, 0, data.length).set(data);
      return {
        planeSums(plane, count) {
          if (plane > 0 && count > 0) k.moments(0, plane, count, resultsAt);
          return new Float64Array(buffer, resultsAt, (count * PLANE_RESULT_BYTES) / 8);
        },
        quantize(start, len, lo, hi, dst) {
          if (len > channelBytes) throw new RangeError(`a channel of ${len} values does not fit the ${channelBytes} bytes loaded for it`);
          k.quantize(start * 4, len, lo, hi > lo ? 255 / (hi - lo) : 0, channelAt);
          dst.set(new Uint8Array(buffer, channelAt, len));
        },
      };
    },
  };
}

let kernels: SimdKernels | null | undefined;

/**
 * The kernels, or null where this runtime has no WebAssembly SIMD (the
 * callers then use the JS loops, which give the same results).
 * @example
 * const t = simdKernels()?.load(data, 64, 56 * 56);
 */
export function simdKernels(): SimdKernels | null {
  if (kernels === undefined) {
    const k = instantiateSimdKernels();
    kernels = k === null ? null : around(k);
  }
  return kernels;
}
