/**
 * Just enough of the WebAssembly binary format to write the statistics
 * kernels (simd-module.ts, used by the worker and by the SDK's pixel
 * conversion) by hand: a function body is a list of named
 * instructions, and {@link encodeModule} wraps bodies into a module with one
 * exported memory. Writing the bytes here, rather than assembling a `.wat`
 * file, keeps the build free of a WebAssembly toolchain.
 * @module
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const f64Bytes = (x: number) => [...new Uint8Array(Float64Array.of(x).buffer)];
const simd = (op: number) => [0xfd, ...uleb(op)];
/** A load or store's alignment (log2 bytes) and offset. */
const memarg = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];

/**
 * The instructions the kernels use, each as its bytes. Opcodes from the
 * WebAssembly 2.0 specification (SIMD ones behind the 0xfd prefix).
 */
export const op = {
  block: () => [0x02, 0x40],
  loop: () => [0x03, 0x40],
  end: () => [0x0b],
  if: () => [0x04, 0x40],
  else: () => [0x05],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  /** A function of the same module, by its index in the list {@link encodeModule} was given. */
  call: (index: number) => [0x10, ...uleb(index)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  f32Const: (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)],
  f64Const: (x: number) => [0x44, ...f64Bytes(x)],
  f32Load: () => [0x2a, ...memarg(2)],
  f64Load: (offset: number) => [0x2b, ...memarg(3, offset)],
  f64Store: (offset: number) => [0x39, ...memarg(3, offset)],
  i32Store8: () => [0x3a, ...memarg(0)],
  i32Eqz: () => [0x45],
  i32LtS: () => [0x48],
  i32LtU: () => [0x49],
  i32GtS: () => [0x4a],
  i32GeU: () => [0x4f],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32Mul: () => [0x6c],
  i32And: () => [0x71],
  i32Shl: () => [0x74],
  f32Eq: () => [0x5b],
  f32Add: () => [0x92],
  f32Sub: () => [0x93],
  f32Mul: () => [0x94],
  f64Eq: () => [0x61],
  f64Gt: () => [0x64],
  f32Min: () => [0x96],
  f32Max: () => [0x97],
  f64Add: () => [0xa0],
  f64Sub: () => [0xa1],
  f64Mul: () => [0xa2],
  f64Div: () => [0xa3],
  f64ConvertI32U: () => [0xb8],
  f64PromoteF32: () => [0xbb],
  select: () => [0x1b],
  i32TruncSatF32S: () => [0xfc, 0x00],
  i32TruncSatF64S: () => [0xfc, 0x02],
  v128Load: (offset = 0) => [...simd(0x00), ...memarg(0, offset)],
  v128Store: () => [...simd(0x0b), ...memarg(0)],
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
  f32x4Add: () => simd(0xe4),
  f32x4Sub: () => simd(0xe5),
  f32x4Mul: () => simd(0xe6),
  f32x4Min: () => simd(0xe8),
  f32x4Max: () => simd(0xe9),
  /** `b < a ? b : a`: one x86 instruction, where min's NaN and ±0 rules take several. */
  f32x4Pmin: () => simd(0xea),
  /** `a < b ? b : a` */
  f32x4Pmax: () => simd(0xeb),
  f64x2Add: () => simd(0xf0),
  f64x2Sub: () => simd(0xf1),
  f64x2Mul: () => simd(0xf2),
  i32x4TruncSatF32x4S: () => simd(0xf8),
  i32x4TruncSatF64x2SZero: () => simd(0xfc),
};

/** One exported function: its signature, extra locals and body. */
export interface FunctionDef {
  name: string;
  params: ValType[];
  locals: ValType[];
  body: number[][];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string) => vec([...new TextEncoder().encode(s)].map((b) => [b]));

/**
 * A module: `functions` (no results), exported by name, and one memory of
 * `pages` 64 KiB pages exported as `memory`.
 * @example
 * const bytes = encodeModule([{ name: 'f', params: [I32], locals: [], body: [] }], 1);
 */
export function encodeModule(functions: readonly FunctionDef[], pages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0x00]);
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const code = [...locals, ...f.body.flat(), ...op.end()];
    return [...uleb(code.length), ...code];
  });
  const exported = [
    [...name('memory'), 0x02, 0x00],
    ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exported)),
    ...section(10, vec(bodies)),
  ]);
}
