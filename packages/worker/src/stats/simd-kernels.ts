/**
 * Two WebAssembly SIMD kernels for the statistics of a run's activations,
 * four floats a step: `moments`, per plane (an H×W channel of one batch
 * item) the sum and sum of squares of `x - x0` (x0 the plane's first value,
 * so a large common offset costs no accuracy), min, max and the count of
 * zeros, in float64; and `quantize`, a feature map's bytes.
 *
 * Why kernels: over a CNN's millions of activations the best plain JS loops
 * (tensor-stats.ts, feature-map.ts) put `featureMaps` past its goal against
 * a bare ONNX Runtime run (README's bench), and each kernel alone is needed
 * (statistics, and maps of the 64 channels a run keeps by default). The JS loops stay the reference
 * (arena-summary.test.ts checks the kernels against them) and take what the
 * kernels do not: planes holding NaN or ±Inf, runs too large for the
 * kernels' memory, and runtimes without WebAssembly SIMD.
 *
 * The module is written as bytes here by a minimal encoder, so the build
 * needs no WebAssembly toolchain. Opcodes from the WebAssembly 2.0 spec.
 * @module
 */

/** Bytes the kernel writes per plane: five float64 (sum, sum of squares, min, max, zeros). */
export const PLANE_RESULT_BYTES = 40;

/** Round a byte offset up to the 16 bytes a vector load wants. */
export const align16 = (n: number) => (n + 15) & ~15;

// ---- the encoder ---------------------------------------------------------

const I32 = 0x7f;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const simd = (code: number) => [0xfd, ...uleb(code)];
/** A load or store's alignment (log2 bytes) and offset. */
const mem = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];
const bytesOf = (a: Float32Array | Float64Array) => [...new Uint8Array(a.buffer)];

/** The instructions the kernel uses, each as its bytes. */
const op = {
  block: () => [0x02, 0x40],
  loop: () => [0x03, 0x40],
  end: () => [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  select: () => [0x1b],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  f32Load: () => [0x2a, ...mem(2)],
  f64Store: (offset: number) => [0x39, ...mem(3, offset)],
  i32Store8: () => [0x3a, ...mem(0)],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  f32Const: (x: number) => [0x43, ...bytesOf(Float32Array.of(x))],
  f64Const: (x: number) => [0x44, ...bytesOf(Float64Array.of(x))],
  i32Eqz: () => [0x45],
  i32LtS: () => [0x48],
  i32GtS: () => [0x4a],
  i32GeU: () => [0x4f],
  f32Eq: () => [0x5b],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32And: () => [0x71],
  i32Shl: () => [0x74],
  f32Min: () => [0x96],
  f32Max: () => [0x97],
  f64Add: () => [0xa0],
  f64Sub: () => [0xa1],
  f64Mul: () => [0xa2],
  f64ConvertI32U: () => [0xb8],
  f64PromoteF32: () => [0xbb],
  i32TruncSatF64S: () => [0xfc, 0x02],
  v128Load: (offset = 0) => [...simd(0x00), ...mem(0, offset)],
  v128Store: () => [...simd(0x0b), ...mem(0)],
  /** Lanes by byte index into the two operands' 32 bytes. */
  i8x16Shuffle: (lanes: readonly number[]) => [...simd(0x0d), ...lanes],
  i32x4Splat: () => simd(0x11),
  f32x4Splat: () => simd(0x13),
  f64x2Splat: () => simd(0x14),
  i32x4ExtractLane: (lane: number) => [...simd(0x1b), lane],
  f32x4ExtractLane: (lane: number) => [...simd(0x1f), lane],
  f64x2ExtractLane: (lane: number) => [...simd(0x21), lane],
  f32x4Eq: () => simd(0x41),
  f64x2PromoteLowF32x4: () => simd(0x5f),
  i8x16NarrowI16x8U: () => simd(0x66),
  i16x8NarrowI32x4S: () => simd(0x85),
  i32x4Sub: () => simd(0xb1),
  /** `b < a ? b : a`: one x86 instruction, where min's NaN and ±0 rules take several. */
  f32x4Pmin: () => simd(0xea),
  /** `a < b ? b : a` */
  f32x4Pmax: () => simd(0xeb),
  f64x2Add: () => simd(0xf0),
  f64x2Sub: () => simd(0xf1),
  f64x2Mul: () => simd(0xf2),
  i32x4TruncSatF64x2SZero: () => simd(0xfc),
};

/** One function: its parameters, extra locals and body; it returns nothing. */
interface FunctionDef {
  params: number[];
  locals: number[];
  body: number[][];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string) => vec([...new TextEncoder().encode(s)].map((b) => [b]));

/** A module exporting `functions` by name, and its memory (one 64 KiB page to start) as `memory`. */
function encodeModule(functions: Record<string, FunctionDef>): Uint8Array {
  const names = Object.keys(functions);
  const defs = Object.values(functions);
  const bodies = defs.map((f) => {
    const code = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), ...op.end()];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(defs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0x00]))),
    ...section(3, vec(defs.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...name('memory'), 0x02, 0x00], ...names.map((n, i) => [...name(n), 0x00, ...uleb(i)])])),
    ...section(10, vec(bodies)),
  ]);
}

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
function moments(): FunctionDef {
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
function quantize(): FunctionDef {
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

/** The part of WebAssembly's JS API used here: Node has it, but the `lib` the project compiles against (ES2022) does not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  moments(p: number, len: number, count: number, out: number): void;
  quantize(src: number, len: number, lo: number, scale: number, dst: number): void;
}

export interface SimdKernels {
  /**
   * The memory, grown to at least `bytes`, or null past {@link MAX_ARENA_BYTES}.
   * Views of it stay valid until the next reserve (growing detaches them).
   */
  reserve(bytes: number): ArrayBuffer | null;
  /**
   * At byte offsets of the memory: the raw moments of `count` planes of
   * `plane` floats from `floatsAt` to `resultsAt` (5 float64 per plane).
   */
  moments(floatsAt: number, plane: number, count: number, resultsAt: number): void;
  /** `len` floats from byte `srcAt` quantised over [lo, hi] to bytes from `dstAt`, as quantizeInto does. */
  quantize(srcAt: number, len: number, lo: number, hi: number, dstAt: number): void;
}

/**
 * The most memory a run may take. WebAssembly memory never shrinks, so one
 * huge run would keep the worker that large; those few take the JS loops.
 */
const MAX_ARENA_BYTES = 256 * 2 ** 20;

const PAGE = 65536;

let kernels: SimdKernels | null | undefined;

/**
 * The kernels, instantiated once per process; null where this runtime has no
 * WebAssembly SIMD (the callers then use the JS loops, which give the same results).
 * @example
 * const buffer = simdKernels()?.reserve(layout.bytes);
 */
export function simdKernels(): SimdKernels | null {
  if (kernels !== undefined) return kernels;
  let k: Exports;
  try {
    const bytes = encodeModule({ moments: moments(), quantize: quantize() });
    k = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Exports;
  } catch {
    return (kernels = null);
  }
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
