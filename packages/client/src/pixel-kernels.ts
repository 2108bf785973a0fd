/**
 * The SDK's float-to-byte pixel conversion as one WebAssembly SIMD pass,
 * `pixelBytes`: the plain JS loop (image-convert.ts's floatsToBytes) put
 * `viz.image` of 3×224×224 floats under its goal (bench/README.md). Same float32
 * arithmetic as that loop, so the bytes are identical; runtimes without
 * WebAssembly SIMD, doubles and huge images take the loop.
 *
 * Visdom's rule needs the largest value before the first byte (×255 when it
 * is at most 1). Images are almost always in [0, 1], so the kernel bets on
 * it: one pass writes the bytes for ×255 while it finds the largest value,
 * and a second (×1) runs only when the bet lost. NaN becomes 0 and ±Inf
 * clamp, as in the loop (`trunc_sat` and the narrowing saturate).
 *
 * The module is written as bytes here by a minimal encoder, so the build
 * needs no WebAssembly toolchain. Opcodes from the WebAssembly 2.0 spec.
 * @module
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const uleb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >>> 7)]);
/** Signed LEB128 of the small constants used here (-64…63 fit one byte). */
const sleb = (n: number): number[] => (n >= -64 && n < 64 ? [n & 0x7f] : [(n & 0x7f) | 0x80, ...sleb(n >> 7)]);
const simd = (code: number) => [0xfd, ...uleb(code)];
/** A load or store's alignment (log2 bytes) and offset. */
const mem = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];

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
  f32Store: () => [0x38, ...mem(2)],
  i32Store8: () => [0x3a, ...mem(0)],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  f32Const: (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)],
  i32LtS: () => [0x48],
  i32GtS: () => [0x4a],
  i32GeU: () => [0x4f],
  f32Gt: () => [0x5e],
  i32Add: () => [0x6a],
  i32And: () => [0x71],
  i32Shl: () => [0x74],
  f32Max: () => [0x97],
  f32Add: () => [0x92],
  f32Mul: () => [0x94],
  i32TruncSatF32S: () => [0xfc, 0x00],
  v128Load: (offset: number) => [...simd(0x00), ...mem(0, offset)],
  v128Store: () => [...simd(0x0b), ...mem(0)],
  f32x4Splat: () => simd(0x13),
  f32x4ExtractLane: (lane: number) => [...simd(0x1f), lane],
  i8x16NarrowI16x8U: () => simd(0x66),
  i16x8NarrowI32x4S: () => simd(0x85),
  f32x4Add: () => simd(0xe4),
  f32x4Mul: () => simd(0xe6),
  /** `a < b ? b : a`: one x86 instruction, and a NaN in `b` leaves `a`. */
  f32x4Pmax: () => simd(0xeb),
  i32x4TruncSatF32x4S: () => simd(0xf8),
};

/**
 * `pixelBytes(src, len, scale, dst, out)`: `len` float32 from byte `src` to
 * bytes at `dst`, `trunc(f32(f32(x * scale) + 0.5))` saturated to 0…255,
 * sixteen values a step, then the last few one at a time; the largest value
 * (NaN left out) as a float32 at `out`.
 */
function pixelBytes(): number[] {
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
    op.end(),
  ].flat();
  return [...uleb(locals.length), ...locals.flatMap((type) => [1, type]), ...body];
}

/** The module: one function, `pixelBytes`, and its memory (one 64 KiB page to start) as `memory`. */
function moduleBytes(): Uint8Array {
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
  const name = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));
  const code = pixelBytes();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([I32, I32, F32, I32, I32].map((type) => [type])), 0x00]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec([[...name('memory'), 0x02, 0x00], [...name('pixelBytes'), 0x00, 0x00]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}

/** The part of WebAssembly's JS API used here: Node and browsers have it, but the `lib` the project compiles against (ES2022) does not declare it. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

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
    try {
      kernel = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes())).exports as Exports;
    } catch {
      kernel = null; // no WebAssembly SIMD here: remembered, so it is tried once
    }
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
