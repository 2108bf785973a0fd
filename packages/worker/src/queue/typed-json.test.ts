import { fromTypedJson, toTypedJson } from './typed-json';

test('typed arrays survive the round trip with their type and values', () => {
  const value = {
    input: { data: new Float32Array([1.5, -2, Number.NaN]), shape: [1, 3] },
    counts: Uint32Array.of(3, 4),
    stats: new Float64Array([Math.PI]),
    top: Int32Array.of(-1, 7),
    bytes: Buffer.from([1, 2, 3]).subarray(1),
    name: 'x',
  };
  const back = fromTypedJson<typeof value>(toTypedJson(value));
  expect(back.input.data).toBeInstanceOf(Float32Array);
  expect(Array.from(back.input.data)).toEqual([1.5, -2, Number.NaN]);
  expect(back.counts).toEqual(Uint32Array.of(3, 4));
  expect(back.stats).toEqual(new Float64Array([Math.PI]));
  expect(back.top).toEqual(Int32Array.of(-1, 7));
  expect(back.bytes).toEqual(Uint8Array.of(2, 3));
  expect(back).toMatchObject({ name: 'x', input: { shape: [1, 3] } });
});

test('a malformed typed array is refused, not guessed at', () => {
  expect(() => fromTypedJson('{"a":{"$typed":"Float32Array","base64":"AAA="}}')).toThrow(/whole number/);
  expect(() => fromTypedJson('{"a":{"$typed":"BigInt64Array","base64":""}}')).toThrow(/bad typed array/);
});
