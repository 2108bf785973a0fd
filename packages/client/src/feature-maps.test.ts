import type { FeatureMapsResult } from '@cnnvis/protocol';
import { formatFeatureMaps, toAnalyzeInput } from './feature-maps';

test('a float tensor travels as its float32 bytes with its shape', async () => {
  const input = await toAnalyzeInput({ data: [1, -2, 0.5, 4], shape: [1, 1, 2, 2] });
  if (!('dtype' in input)) throw new Error('expected a tensor');
  expect(input.shape).toEqual([1, 1, 2, 2]);
  expect(Array.from(new Float32Array(input.data.slice().buffer))).toEqual([1, -2, 0.5, 4]);
});

test('PNG and JPEG bytes are told apart by magic bytes; anything else is refused', async () => {
  const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0);
  expect(await toAnalyzeInput(png)).toEqual({ encoding: 'png', data: png });
  const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0);
  expect(await toAnalyzeInput(jpeg)).toEqual({ encoding: 'jpeg', data: jpeg });
  await expect(toAnalyzeInput(Uint8Array.of(1, 2, 3))).rejects.toThrow(/input: the input bytes is neither a PNG nor a JPEG/);
  await expect(toAnalyzeInput('/no/such/image.png')).rejects.toThrow(/input: cannot read \/no\/such\/image.png/);
});

test('a tensor whose data does not fit its shape is refused naming both', async () => {
  await expect(toAnalyzeInput({ data: new Float32Array(5), shape: [1, 2, 2] })).rejects.toThrow(/input\.data: has 5 values but shape \[1, 2, 2\] needs 4/);
  await expect(toAnalyzeInput({ data: new Float32Array(0), shape: [1, 0] })).rejects.toThrow(/input\.shape: must hold positive integers/);
});

test('formatFeatureMaps prints one aligned line per layer', () => {
  const stats = { min: 0, max: 2.5, mean: 1, std: 0.5, zeros: 0.25, nan: 0, inf: 1 };
  const result: FeatureMapsResult = {
    runId: 'run_1',
    modelId: 'a'.repeat(64),
    env: 'main',
    win: 'fm-graph',
    provider: 'cpu',
    timings: { queueMs: 1, sessionMs: 2, runMs: 3, statsMs: 4, storeMs: 5, totalMs: 15 },
    layers: [
      { node: '/conv1/Conv', op: 'Conv', tensor: 't1', shape: [1, 32, 28, 28], stats, channels: [] },
      { node: '/fc/Gemm', op: 'Gemm', tensor: 't2', shape: [1, 10], stats, channels: [] },
    ],
  };
  const lines = formatFeatureMaps(result).split('\n');
  expect(lines[0]).toBe('run run_1 on cpu: 15 ms (queue 1, session 2, run 3, stats 4, store 5)');
  expect(lines[2]).toBe('/conv1/Conv  Conv  [1, 32, 28, 28]  0.000  1.000  2.500  0.500  25.0%  0/1');
  expect(lines[3]?.startsWith('/fc/Gemm     Gemm  [1, 10]        ')).toBe(true);
});
