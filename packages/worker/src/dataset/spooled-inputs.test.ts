import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputReader } from './spooled-inputs';

const dir = mkdtempSync(join(tmpdir(), 'cnnvis-spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputReader', () => {
  it('reads a batch of spooled float32 tensors from its offsets, each aligned', async () => {
    const file = join(dir, 'tensors');
    writeFileSync(file, Buffer.from(Float32Array.from({ length: 12 }, (_, i) => i * 0.5).buffer));
    const reader = inputReader({ file, lengths: [16, 16, 16], shape: [1, 4] });
    expect(reader.count).toBe(3);
    const items = await reader.read(1, 2);
    expect(items.map((t) => ('data' in t ? [Array.from(t.data), t.shape] : t))).toEqual([
      [[2, 2.5, 3, 3.5], [1, 4]],
      [[4, 4.5, 5, 5.5], [1, 4]],
    ]);
  });

  it('cuts spooled image files at their lengths, and names an input the file lacks', async () => {
    const file = join(dir, 'images');
    writeFileSync(file, Buffer.from([1, 2, 3, 4, 5, 6]));
    const reader = inputReader({ file, lengths: [2, 4, 3] });
    expect((await reader.read(0, 2)).map((t) => ('encoded' in t ? Array.from(t.encoded) : t))).toEqual([[1, 2], [3, 4, 5, 6]]);
    await expect(reader.read(2, 1)).rejects.toThrow('input 2: the spooled inputs file ends early');
  });

  it('passes inputs held in the job through', async () => {
    const inputs = [{ encoded: new Uint8Array([1]) }, { encoded: new Uint8Array([2]) }];
    const reader = inputReader(inputs);
    expect(reader.count).toBe(2);
    expect(await reader.read(1, 5)).toEqual([inputs[1]]);
  });
});
