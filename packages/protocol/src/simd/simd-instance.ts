/**
 * Instantiating the SIMD kernels (simd-module.ts) and sizing their memory:
 * what the worker's statistics and the SDK's pixel conversion both need. Each
 * caller makes its own instance, so neither's views into the memory are ever
 * overwritten by the other.
 * @module
 */
import { simdModuleBytes } from './simd-module';

/** The part of WebAssembly's JS API used here: Node and browsers have it, but the `lib` the project compiles against (ES2022) does not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

/** What the module exports (see simd-module.ts for the kernels' contracts). */
export interface SimdKernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  moments(p: number, len: number, count: number, out: number): void;
  quantize(src: number, len: number, lo: number, scale: number, dst: number): void;
  summarize(p: number, len: number, count: number, out: number, dst: number, qcount: number): void;
  pixelBytes(src: number, len: number, scale: number, dst: number, out: number): void;
}

const PAGE = 65536;

/** Round a byte offset up to the 16 bytes a vector load wants. */
export const align16 = (n: number) => (n + 15) & ~15;

/**
 * A fresh instance, or null where the runtime has no WebAssembly SIMD (the
 * caller then uses its JS loops, which give the same results).
 */
export function instantiateSimdKernels(): SimdKernelExports | null {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes())).exports as unknown as SimdKernelExports;
  } catch {
    return null;
  }
}

/**
 * Grow `k`'s memory to at least `bytes` and return its buffer. Take views
 * only after this: growing detaches the old buffer.
 */
export function reserveSimdMemory(k: SimdKernelExports, bytes: number): ArrayBuffer {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
  return k.memory.buffer;
}
