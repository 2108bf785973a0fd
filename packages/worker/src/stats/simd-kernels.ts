/**
 * Two WebAssembly SIMD kernels for a run's activations on the CPU, where the JS loops miss the
 * bench's goal: `moments` (per plane, sums of `x - x0`, min, max, zeros) and `quantize` (a
 * map's bytes). The JS loops stay the reference and take NaN/±Inf planes and oversized runs.
 * @module
 */
import { instantiateWasm, wasmOp, wasmType, type WasmFunction } from '@cnnvis/protocol';

/** Bytes the kernel writes per plane: five float64 (sum, sum of squares, min, max, zeros). */
export const PLANE_RESULT_BYTES = 40;

/** Round a byte offset up to the 16 bytes a vector load wants. */
export const align16 = (n: number) => (n + 15) & ~15;

const { i32: I32, f32: F32, f64: F64, v128: V128 } = wasmType;
const op = wasmOp;

// ---- the kernel ----------------------------------------------------------

/** Shuffle lanes: the upper two floats of a vector into its lower half. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
/** Shuffle lanes: the first two int32 of each operand, side by side. */
const JOIN_LOW = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/**
 * `moments(p, len, count, out)`: `count` planes of `len` float32 from byte
 * `p`, back to back; for each, five float64 at `out` (then `out + 40`…).
 * NaN or Inf make the sums or min/max non-finite.
 */
function moments(): WasmFunction {
  const [p, len, count, out] = [0, 1, 2, 3];
  const [q, vend, end, shift, vshift, vmin, vmax, vz, a1, a2, b1, b2, v, d, s1, s2, mn, mx, z, x, dx, zero] =
    [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];
  /** d = lanes - shift; sum += d; squares += d * d */
  const addLanes = (sum: number, squares: number) => [
    op.f64x2PromoteLowF32x4(), op.get(vshift), op.f64x2Sub(), op.tee(d),
    op.get(sum), op.f64x2Add(), op.set(sum),
    op.get(d), op.get(d), op.f64x2Mul(), op.get(squares), op.f64x2Add(), op.set(squares),
  ].flat();
  const sumOf = (lo: number, hi: number) => [
    op.get(lo), op.f64x2ExtractLane(0), op.get(hi), op.f64x2ExtractLane(0), op.f64Add(),
    op.get(lo), op.f64x2ExtractLane(1), op.get(hi), op.f64x2ExtractLane(1), op.f64Add(), op.f64Add(),
  ].flat();
  const lanes4 = (vector: number, extract: (lane: number) => number[], combine: () => number[]) => [
    op.get(vector), extract(0), op.get(vector), extract(1), combine(),
    op.get(vector), extract(2), op.get(vector), extract(3), combine(), combine(),
  ].flat();
  const f64x2Zero = () => [op.f64Const(0), op.f64x2Splat()].flat();
  return {
    params: [I32, I32, I32, I32],
    locals: [I32, I32, I32, F64, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, F64, F64, F32, F32, I32, F32, F64, V128],
    body: [
      op.block(),
      op.get(count), op.i32Eqz(), op.brIf(0),
      op.i32Const(0), op.i32x4Splat(), op.set(zero),
      op.loop(),
      // end = p + len * 4; vend = p + (len & ~3) * 4
      op.get(p), op.get(len), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(end),
      op.get(p), op.get(len), op.i32Const(-4), op.i32And(), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(vend),
      op.get(p), op.f32Load(), op.f64PromoteF32(), op.tee(shift), op.f64x2Splat(), op.set(vshift),
      // min and max start at the first value, which is one of the values
      op.get(p), op.f32Load(), op.f32x4Splat(), op.tee(vmin), op.set(vmax),
      op.get(zero), op.set(vz),
      f64x2Zero(), op.set(a1), f64x2Zero(), op.set(a2), f64x2Zero(), op.set(b1), f64x2Zero(), op.set(b2),
      op.get(p), op.set(q),
      op.block(), op.loop(),
      op.get(q), op.get(vend), op.i32GeU(), op.brIf(1),
      op.get(vmin), op.get(q), op.v128Load(), op.tee(v), op.f32x4Pmin(), op.set(vmin),
      op.get(vmax), op.get(v), op.f32x4Pmax(), op.set(vmax),
      // eq gives -1 per zero lane: subtracting counts it
      op.get(vz), op.get(v), op.get(zero), op.f32x4Eq(), op.i32x4Sub(), op.set(vz),
      op.get(v), addLanes(a1, a2),
      op.get(v), op.get(v), op.i8x16Shuffle(HIGH_HALF), addLanes(b1, b2),
      op.get(q), op.i32Const(16), op.i32Add(), op.set(q),
      op.br(0),
      op.end(), op.end(),
      sumOf(a1, b1), op.set(s1),
      sumOf(a2, b2), op.set(s2),
      lanes4(vmin, op.f32x4ExtractLane, op.f32Min), op.set(mn),
      lanes4(vmax, op.f32x4ExtractLane, op.f32Max), op.set(mx),
      lanes4(vz, op.i32x4ExtractLane, op.i32Add), op.set(z),
      // the last len % 4 values, one at a time
      op.block(), op.loop(),
      op.get(q), op.get(end), op.i32GeU(), op.brIf(1),
      op.get(q), op.f32Load(), op.tee(x), op.get(mn), op.f32Min(), op.set(mn),
      op.get(x), op.get(mx), op.f32Max(), op.set(mx),
      op.get(z), op.get(x), op.f32Const(0), op.f32Eq(), op.i32Add(), op.set(z),
      op.get(x), op.f64PromoteF32(), op.get(shift), op.f64Sub(), op.tee(dx), op.get(s1), op.f64Add(), op.set(s1),
      op.get(dx), op.get(dx), op.f64Mul(), op.get(s2), op.f64Add(), op.set(s2),
      op.get(q), op.i32Const(4), op.i32Add(), op.set(q),
      op.br(0),
      op.end(), op.end(),
      op.get(out), op.get(s1), op.f64Store(0),
      op.get(out), op.get(s2), op.f64Store(8),
      op.get(out), op.get(mn), op.f64PromoteF32(), op.f64Store(16),
      op.get(out), op.get(mx), op.f64PromoteF32(), op.f64Store(24),
      op.get(out), op.get(z), op.f64ConvertI32U(), op.f64Store(32),
      op.get(out), op.i32Const(PLANE_RESULT_BYTES), op.i32Add(), op.set(out),
      op.get(end), op.set(p),
      op.get(count), op.i32Const(1), op.i32Sub(), op.tee(count), op.brIf(0),
      op.end(),
      op.end(),
    ],
  };
}

/**
 * `quantize(src, len, lo, scale, dst)`: `len` float32 from byte `src` to
 * bytes at `dst`, `trunc((x - lo) * scale + 0.5)` saturated to 0…255, as
 * feature-map.ts's quantizeInto computes it; sixteen values a step, then
 * the last few one at a time.
 */
function quantize(): WasmFunction {
  const [src, len, lo, scale, dst] = [0, 1, 2, 3, 4];
  const [vend, end, vlo, vsc, vhalf, v, t] = [5, 6, 7, 8, 9, 10, 11];
  const words = [12, 13, 14, 15] as const;
  /** Two lanes (promoted to float64) to int32 in the low half; NaN gives 0. */
  const scaled = () => [
    op.f64x2PromoteLowF32x4(), op.get(vlo), op.f64x2Sub(), op.get(vsc), op.f64x2Mul(), op.get(vhalf), op.f64x2Add(),
    op.i32x4TruncSatF64x2SZero(),
  ].flat();
  const word = (k: number) => [
    op.get(src), op.v128Load(16 * k), op.tee(v), scaled(),
    op.get(v), op.get(v), op.i8x16Shuffle(HIGH_HALF), scaled(),
    op.i8x16Shuffle(JOIN_LOW), op.set(words[k] as number),
  ].flat();
  return {
    params: [I32, I32, F64, F64, I32],
    locals: [I32, I32, V128, V128, V128, V128, I32, V128, V128, V128, V128],
    body: [
      op.get(src), op.get(len), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(end),
      op.get(src), op.get(len), op.i32Const(-16), op.i32And(), op.i32Const(2), op.i32Shl(), op.i32Add(), op.set(vend),
      op.get(lo), op.f64x2Splat(), op.set(vlo),
      op.get(scale), op.f64x2Splat(), op.set(vsc),
      op.f64Const(0.5), op.f64x2Splat(), op.set(vhalf),
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
      // one value, clamped to 0…255
      op.block(), op.loop(),
      op.get(src), op.get(end), op.i32GeU(), op.brIf(1),
      op.get(src), op.f32Load(), op.f64PromoteF32(), op.get(lo), op.f64Sub(), op.get(scale), op.f64Mul(), op.f64Const(0.5), op.f64Add(),
      op.i32TruncSatF64S(), op.set(t),
      op.get(dst),
      op.i32Const(255), op.get(t), op.get(t), op.i32Const(255), op.i32GtS(), op.select(), op.set(t),
      op.i32Const(0), op.get(t), op.get(t), op.i32Const(0), op.i32LtS(), op.select(),
      op.i32Store8(),
      op.get(src), op.i32Const(4), op.i32Add(), op.set(src),
      op.get(dst), op.i32Const(1), op.i32Add(), op.set(dst),
      op.br(0),
      op.end(), op.end(),
    ],
  };
}

// ---- the instance --------------------------------------------------------

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  moments(p: number, len: number, count: number, out: number): void;
  quantize(src: number, len: number, lo: number, scale: number, dst: number): void;
}

export interface SimdKernels {
  /** The memory, grown to at least `bytes` (detaching older views); null past MAX_ARENA_BYTES. */
  reserve(bytes: number): ArrayBuffer | null;
  /** The raw moments of `count` planes of `plane` floats from `floatsAt`, to `resultsAt`. */
  moments(floatsAt: number, plane: number, count: number, resultsAt: number): void;
  /** `len` floats from byte `srcAt` quantised over [lo, hi] to bytes from `dstAt`, as quantizeInto does. */
  quantize(srcAt: number, len: number, lo: number, hi: number, dstAt: number): void;
}

/** The most memory a run may take: WebAssembly memory never shrinks; larger runs take JS loops. */
const MAX_ARENA_BYTES = 256 * 2 ** 20;

const PAGE = 65536;

let kernels: SimdKernels | null | undefined;

/** The kernels, instantiated once per process; null without WebAssembly SIMD. */
export function simdKernels(): SimdKernels | null {
  if (kernels !== undefined) return kernels;
  const k = instantiateWasm<Exports>({ moments: moments(), quantize: quantize() });
  if (k === null) return (kernels = null);
  return (kernels = {
    reserve(bytes) {
      if (bytes > MAX_ARENA_BYTES) return null;
      const have = k.memory.buffer.byteLength;
      if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
      return k.memory.buffer;
    },
    moments(floatsAt, plane, count, resultsAt) {
      if (plane > 0) k.moments(floatsAt, plane, count, resultsAt);
    },
    quantize: (srcAt, len, lo, hi, dstAt) => k.quantize(srcAt, len, lo, hi > lo ? 255 / (hi - lo) : 0, dstAt),
  });
}
