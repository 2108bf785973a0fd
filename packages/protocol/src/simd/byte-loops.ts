/**
 * The two loops every float-to-byte kernel has (simd-module.ts's `quantize`,
 * pixel-kernel.ts's `pixelBytes`): sixteen values a step while a whole vector
 * step fits, then the last few one at a time. Only how a float becomes an
 * int32 differs between the kernels; the narrowing, clamping and stepping are
 * here once.
 * @module
 */
import { op } from './wasm-encoder';

/**
 * While `src < vend`: `word(k)` for k = 0…3 leaves four int32 in local
 * `words[k]`; they are narrowed with saturation to int16, then to uint8, and
 * the sixteen bytes stored at `dst`; `src` moves 64 bytes, `dst` 16.
 */
export function sixteenAStep(src: number, vend: number, dst: number, words: readonly number[], word: (k: number) => number[]): number[] {
  const [w0, w1, w2, w3] = words as [number, number, number, number];
  return [
    op.block(), op.loop(),
    op.get(src), op.get(vend), op.i32GeU(), op.brIf(1),
    word(0), word(1), word(2), word(3),
    op.get(dst),
    op.get(w0), op.get(w1), op.i16x8NarrowI32x4S(),
    op.get(w2), op.get(w3), op.i16x8NarrowI32x4S(),
    op.i8x16NarrowI16x8U(), op.v128Store(),
    op.get(src), op.i32Const(64), op.i32Add(), op.set(src),
    op.get(dst), op.i32Const(16), op.i32Add(), op.set(dst),
    op.br(0),
    op.end(), op.end(),
  ].flat();
}

/**
 * While `src < end`: `toInt` (which may read `src`) leaves an int32 in local
 * `t`; it is clamped to 0…255 and stored as one byte at `dst`; `src` moves 4
 * bytes, `dst` 1.
 */
export function oneAStep(src: number, end: number, dst: number, t: number, toInt: number[]): number[] {
  return [
    op.block(), op.loop(),
    op.get(src), op.get(end), op.i32GeU(), op.brIf(1),
    toInt,
    op.get(dst),
    // t > 255 ? 255 : t, then t < 0 ? 0 : t
    op.i32Const(255), op.get(t), op.get(t), op.i32Const(255), op.i32GtS(), op.select(), op.set(t),
    op.i32Const(0), op.get(t), op.get(t), op.i32Const(0), op.i32LtS(), op.select(),
    op.i32Store8(),
    op.get(src), op.i32Const(4), op.i32Add(), op.set(src),
    op.get(dst), op.i32Const(1), op.i32Add(), op.set(dst),
    op.br(0),
    op.end(), op.end(),
  ].flat();
}
