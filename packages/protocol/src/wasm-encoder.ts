/**
 * A minimal WebAssembly encoder for the worker's and the SDK's SIMD kernels, so the build needs
 * no WebAssembly toolchain. Opcodes from the WebAssembly 2.0 spec.
 * @module
 */

/** Value types. */
export const wasmType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

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

/** The instructions the kernels use, each as its bytes. */
export const wasmOp = {
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
  f32Store: () => [0x38, ...mem(2)],
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
  f32Gt: () => [0x5e],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32And: () => [0x71],
  i32Shl: () => [0x74],
  f32Add: () => [0x92],
  f32Mul: () => [0x94],
  f32Min: () => [0x96],
  f32Max: () => [0x97],
  f64Add: () => [0xa0],
  f64Sub: () => [0xa1],
  f64Mul: () => [0xa2],
  f64ConvertI32U: () => [0xb8],
  f64PromoteF32: () => [0xbb],
  i32TruncSatF32S: () => [0xfc, 0x00],
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
  f32x4Add: () => simd(0xe4),
  f32x4Mul: () => simd(0xe6),
  /** `b < a ? b : a`: one x86 instruction, where min's NaN and ±0 rules take several. */
  f32x4Pmin: () => simd(0xea),
  /** `a < b ? b : a`: one x86 instruction, and a NaN in `b` leaves `a`. */
  f32x4Pmax: () => simd(0xeb),
  f64x2Add: () => simd(0xf0),
  f64x2Sub: () => simd(0xf1),
  f64x2Mul: () => simd(0xf2),
  i32x4TruncSatF32x4S: () => simd(0xf8),
  i32x4TruncSatF64x2SZero: () => simd(0xfc),
};

/** One function: its parameters, extra locals and body (without its closing `end`); it returns nothing. */
export interface WasmFunction {
  params: number[];
  locals: number[];
  body: number[][];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
/** An ASCII name. */
const name = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));

/** A module exporting `functions` by name, and its memory (one 64 KiB page to start) as `memory`. */
export function encodeWasmModule(functions: Record<string, WasmFunction>): Uint8Array {
  const names = Object.keys(functions);
  const defs = Object.values(functions);
  const bodies = defs.map((f) => {
    const code = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), ...wasmOp.end()];
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

/** The part of WebAssembly's JS API used here, which the ES2022 `lib` does not declare. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

/**
 * The exports of a module of `functions`, or null without WebAssembly SIMD (use the JS loops).
 * @example
 * const k = instantiateWasm<{ memory: { buffer: ArrayBuffer }; f(): void }>({ f: { params: [], locals: [], body: [] } });
 */
export function instantiateWasm<T>(functions: Record<string, WasmFunction>): T | null {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(encodeWasmModule(functions))).exports as T;
  } catch {
    return null;
  }
}
