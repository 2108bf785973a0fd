import fc from 'fast-check';
import { floatsToBytes, toUint8Pixels } from './image-convert';
import { floatsToBytesSimd } from './pixel-kernels';

const floats = (min: number, max: number) =>
  fc.array(
    fc.oneof({ weight: 20, arbitrary: fc.float({ min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) }),
    { minLength: 1, maxLength: 300 },
  );

test('the SIMD conversion gives the JS loop’s bytes, whatever the range and length', () => {
  for (const [min, max] of [[0, 1], [-1, 1], [0, 255], [-300, 300], [-1e30, 1e30]] as const) {
    fc.assert(
      fc.property(floats(min, max), (values) => {
        const data = Float32Array.from(values);
        const fast = floatsToBytesSimd(data);
        expect(fast).toBeDefined();
        expect(Array.from(fast ?? [])).toEqual(Array.from(floatsToBytes(data)));
      }),
      { numRuns: 200 },
    );
  }
});

test('values on the rounding and clamping edges', () => {
  const edges = Float32Array.from([0, -0, 0.5 / 255, 1.5 / 255, 254.5 / 255, 1, 1 / 3, 2 / 3, 0.999999, 1e-9, -1e-9]);
  expect(Array.from(floatsToBytesSimd(edges) ?? [])).toEqual(Array.from(floatsToBytes(edges)));
  const big = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i * 7919) % 1000) / 999);
  expect(Buffer.from(floatsToBytesSimd(big) ?? []).equals(Buffer.from(floatsToBytes(big)))).toBe(true);
});

/** The float32 next to `x`, up (+1) or down (-1). */
function f32Step(x: number, dir: 1 | -1): number {
  const bits = new Uint32Array(Float32Array.of(x).buffer);
  bits[0] = (bits[0] as number) + (x >= 0 ? dir : -dir);
  return new Float32Array(bits.buffer)[0] as number;
}

test('values next to every half-way point round as float32 arithmetic does, in both paths', () => {
  // x * 255 within an ulp of k + 0.5 is where float32 and float64 arithmetic part ways.
  const near: number[] = [];
  for (let k = 0; k < 255; k++) {
    const x = Math.fround((k + 0.5) / 255);
    near.push(f32Step(f32Step(x, -1), -1), f32Step(x, -1), x, f32Step(x, 1), f32Step(f32Step(x, 1), 1));
  }
  const data = Float32Array.from(near);
  const fast = floatsToBytesSimd(data);
  expect(Array.from(fast ?? [])).toEqual(Array.from(floatsToBytes(data)));
  // and they agree with float32 arithmetic written out, value by value
  const f32 = near.map((x) => Math.min(255, Math.max(0, Math.trunc(Math.fround(Math.fround(x * 255) + 0.5)))));
  expect(Array.from(fast ?? [])).toEqual(f32);
  // the same values scaled past 1 take the ×1 pass
  const big = Float32Array.from(near, (x) => Math.fround(x * 255));
  expect(Array.from(floatsToBytesSimd(big) ?? [])).toEqual(Array.from(floatsToBytes(big)));
});

test('NaN gives 0 and ±Inf clamps, in the sixteen-a-step part and in the tail, as in the JS loop', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const at of [1, 20]) {
      for (const top of [0.4, 200]) {
        const data = Float32Array.from({ length: 21 }, (_, i) => (i === at ? bad : i === 3 ? top : 0.2));
        expect(Array.from(floatsToBytesSimd(data) ?? [])).toEqual(Array.from(floatsToBytes(data)));
      }
    }
  }
  expect(Array.from(toUint8Pixels(Float32Array.from([0.2, NaN, 0.4])))).toEqual([51, 0, 102]);
});
