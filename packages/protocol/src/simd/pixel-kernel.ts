/**
 * The SDK's float-to-byte pixel conversion as one WebAssembly SIMD pass.
 * Visdom's rule needs the largest value before the first byte (×255 when it
 * is at most 1), which took two passes through the statistics kernels:
 * `moments` (sums, squares, min, max, zeros) and `quantize`, both in float64.
 * Images are almost always in [0, 1], so the caller bets on it: one pass
 * writes the bytes for ×255 while it finds the largest value, and a second
 * (×1) runs only when the bet lost.
 *
 * The arithmetic is float32, as torchvision's `mul(255).add_(0.5)` on a
 * float tensor: `trunc(f32(f32(x * scale) + 0.5))` saturated to 0…255, four
 * lanes an instruction where float64 gave two, and one instruction to
 * truncate where float64 took several. The SDK's JS loop computes the same.
 *
 * `pixelBytes(src, len, scale, dst, out)`: `len` float32 from byte `src` to
 * bytes at `dst`; at `out` two float64: the largest value, and 0 when every
 * value is finite (NaN otherwise: the caller then takes its careful path).
 * @module
 */
import { oneAStep, sixteenAStep } from './byte-loops';
import { F32, I32, op, V128, type FunctionDef } from './wasm-encoder';

export function pixelBytes(): FunctionDef {
  const [src, len, scale, dst, out] = [0, 1, 2, 3, 4];
  const [vend, end, vsc, vhalf, vmax, vbad, v, t, mx, bad, x] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const words = [16, 17, 18, 19];
  /** Four values: the running max, `x - x` (0 for finite x, NaN for NaN and ±Inf) into a running sum, and their int32. */
  const word = (k: number) => [
    op.get(src), op.v128Load(16 * k), op.set(v),
    op.get(vmax), op.get(v), op.f32x4Pmax(), op.set(vmax),
    op.get(vbad), op.get(v), op.get(v), op.f32x4Sub(), op.f32x4Add(), op.set(vbad),
    op.get(v), op.get(vsc), op.f32x4Mul(), op.get(vhalf), op.f32x4Add(), op.i32x4TruncSatF32x4S(), op.set(words[k] as number),
  ].flat();
  const lanes4 = (vector: number, combine: () => number[]) => [
    op.get(vector), op.f32x4ExtractLane(0), op.get(vector), op.f32x4ExtractLane(1), combine(),
    op.get(vector), op.f32x4ExtractLane(2), op.get(vector), op.f32x4ExtractLane(3), combine(), combine(),
  ].flat();
  return {
    name: 'pixelBytes',
    params: [I32, I32, F32, I32, I32],
    locals: [I32, I32, V128, V128, V128, V128, V128, I32, F32, F32, F32, V128, V128, V128, V128],
    body: [
      op.get(src), op.get(len), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(end),
      op.get(src), op.get(len), op.i32Const(-16), op.i32And(), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(vend),
      op.get(scale), op.f32x4Splat(), op.set(vsc),
      op.f32Const(0.5), op.f32x4Splat(), op.set(vhalf),
      op.f32Const(-Infinity), op.f32x4Splat(), op.set(vmax),
      op.f32Const(0), op.f32x4Splat(), op.set(vbad),
      sixteenAStep(src, vend, dst, words, word),
      lanes4(vmax, op.f32Max), op.set(mx),
      lanes4(vbad, op.f32Add), op.set(bad),
      // the last len % 16 values, one at a time
      oneAStep(src, end, dst, t, [
        op.get(src), op.f32Load(), op.tee(x), op.get(mx), op.f32Max(), op.set(mx),
        op.get(bad), op.get(x), op.get(x), op.f32Sub(), op.f32Add(), op.set(bad),
        op.get(x), op.get(scale), op.f32Mul(), op.f32Const(0.5), op.f32Add(), op.i32TruncSatF32S(), op.set(t),
      ].flat()),
      op.get(out), op.get(mx), op.f64PromoteF32(), op.f64Store(0),
      op.get(out), op.get(bad), op.f64PromoteF32(), op.f64Store(8),
    ],
  };
}
