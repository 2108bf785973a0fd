/**
 * The float-to-byte pixel conversion as a WebAssembly SIMD pass, byte for byte as the JS loop
 * (floatsToBytes), which left `viz.image` of floats short of its goal. Visdom's rule (×255 when the
 * largest value is at most 1) needs the maximum first, so one pass bets on ×255 while it finds
 * the maximum, and a second (×1) runs only when the bet lost.
 * @module
 */
import { instantiateWasm, wasmOp, wasmType, type WasmFunction } from '@cnnvis/protocol';

const { i32: I32, f32: F32, v128: V128 } = wasmType;
const op = wasmOp;

/**
 * `pixelBytes(src, len, scale, dst, out)`: `len` float32 from byte `src` to
 * bytes at `dst`, `trunc(f32(f32(x * scale) + 0.5))` saturated to 0…255,
 * sixteen values a step, then the last few one at a time; the largest value
 * (NaN left out) as a float32 at `out`.
 */
function pixelBytes(): WasmFunction {
  const [src, len, scale, dst, out] = [0, 1, 2, 3, 4];
  const [vend, end, vsc, vhalf, vmax, v, t, mx, x] = [5, 6, 7, 8, 9, 10, 11, 12, 13];
  const words = [14, 15, 16, 17] as const;
  /** Four values from `src + 16k`: the running max, and their int32 in `words[k]`. */
  const word = (k: number) => [
    op.get(src), op.v128Load(16 * k), op.set(v),
    op.get(vmax), op.get(v), op.f32x4Pmax(), op.set(vmax),
    op.get(v), op.get(vsc), op.f32x4Mul(), op.get(vhalf), op.f32x4Add(), op.i32x4TruncSatF32x4S(), op.set(words[k] as number),
  ].flat();
  const maxOfLanes = [
    op.get(vmax), op.f32x4ExtractLane(0), op.get(vmax), op.f32x4ExtractLane(1), op.f32Max(),
    op.get(vmax), op.f32x4ExtractLane(2), op.get(vmax), op.f32x4ExtractLane(3), op.f32Max(), op.f32Max(),
  ].flat();
  const locals = [I32, I32, V128, V128, V128, V128, I32, F32, F32, V128, V128, V128, V128];
  const body = [
    // end = src + len * 4; vend = src + (len & ~15) * 4
    op.get(src), op.get(len), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(end),
    op.get(src), op.get(len), op.i32Const(-16), op.i32And(), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(vend),
    op.get(scale), op.f32x4Splat(), op.set(vsc),
    op.f32Const(0.5), op.f32x4Splat(), op.set(vhalf),
    op.f32Const(-Infinity), op.f32x4Splat(), op.set(vmax),
    // sixteen values: four words of four int32, narrowed with saturation to int16, then to uint8
    op.block(), op.loop(),
    op.get(src), op.get(vend), op.i32GeU(), op.brIf(1),
    word(0), word(1), word(2), word(3),
    op.get(dst),
    op.get(words[0]), op.get(words[1]), op.i16x8NarrowI32x4S(),
    op.get(words[2]), op.get(words[3]), op.i16x8NarrowI32x4S(),
    op.i8x16NarrowI16x8U(), op.v128Store(),
    op.get(src), op.i32Const(64), op.i32Add(), op.set(src),
    op.get(dst), op.i32Const(16), op.i32Add(), op.set(dst),
    op.br(0),
    op.end(), op.end(),
    maxOfLanes, op.set(mx),
    // one value, clamped to 0…255
    op.block(), op.loop(),
    op.get(src), op.get(end), op.i32GeU(), op.brIf(1),
    // mx = x > mx ? x : mx, so a NaN is left out as pmax leaves it out
    op.get(src), op.f32Load(), op.tee(x), op.get(mx), op.get(x), op.get(mx), op.f32Gt(), op.select(), op.set(mx),
    op.get(x), op.get(scale), op.f32Mul(), op.f32Const(0.5), op.f32Add(), op.i32TruncSatF32S(), op.set(t),
    op.get(dst),
    op.i32Const(255), op.get(t), op.get(t), op.i32Const(255), op.i32GtS(), op.select(), op.set(t),
    op.i32Const(0), op.get(t), op.get(t), op.i32Const(0), op.i32LtS(), op.select(),
    op.i32Store8(),
    op.get(src), op.i32Const(4), op.i32Add(), op.set(src),
    op.get(dst), op.i32Const(1), op.i32Add(), op.set(dst),
    op.br(0),
    op.end(), op.end(),
    op.get(out), op.get(mx), op.f32Store(),
  ];
  return { params: [I32, I32, F32, I32, I32], locals, body };
}

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  pixelBytes(src: number, len: number, scale: number, dst: number, out: number): void;
}

/** WebAssembly memory never shrinks: images past this (64 MiB of floats) take the JS loop. */
const MAX_FLOATS = 16 * 2 ** 20;

let kernel: Exports | null | undefined;

/**
 * Bytes as {@link toUint8Pixels} makes them (×255 when the largest value is at
 * most 1, +0.5, truncated, clamped to 0–255, NaN 0), or undefined for the JS
 * loop. `alloc` gives the array they are written to.
 * @example
 * floatsToBytesSimd(new Float32Array([0, 0.5, 1])); // Uint8Array [0, 128, 255]
 */
export function floatsToBytesSimd(data: Float32Array, alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n)): Uint8Array | undefined {
  if (kernel === undefined) {
    kernel = instantiateWasm<Exports>({ pixelBytes: pixelBytes() }); // null without WebAssembly SIMD: remembered, so it is tried once
  }
  const k = kernel;
  const n = data.length;
  if (k === null || n === 0 || n > MAX_FLOATS) return undefined;
  const maxAt = (n * 4 + 15) & ~15;
  const bytesAt = maxAt + 16;
  const need = bytesAt + n;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const buffer = k.memory.buffer;
  new Float32Array(buffer, 0, n).set(data);
  k.pixelBytes(0, n, 255, bytesAt, maxAt);
  if ((new Float32Array(buffer, maxAt, 1)[0] as number) > 1) k.pixelBytes(0, n, 1, bytesAt, maxAt);
  const out = alloc(n);
  out.set(new Uint8Array(buffer, bytesAt, n));
  return out;
}
