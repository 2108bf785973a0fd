import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureMap } from '../analyze/analyze-types';
import { createMapsSink, writeMapsFile } from './maps-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-maps-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const map = (i: number, size: number): FeatureMap => ({
  tensor: `t${i}`,
  shape: [size],
  channelMin: Float32Array.of(i),
  channelMax: Float32Array.of(i + 1),
  data: Uint8Array.from({ length: size }, (_, k) => (i * 7 + k) % 256),
});

describe('writeMapsFile', () => {
  it('writes the maps back to back, past one writev batch, and their ranges find each one', () => {
    // 1,300 maps: more than one writev call takes; sizes vary, one is empty.
    const maps = Array.from({ length: 1300 }, (_, i) => map(i, i % 5 === 0 ? 0 : (i % 13) + 1));
    const path = join(dir, 'run.maps');
    writeFileSync(path, Buffer.alloc(100_000, 9)); // an older, longer file is truncated
    const ranges = writeMapsFile(path, maps);
    const file = readFileSync(path);
    expect(file.byteLength).toBe(maps.reduce((n, m) => n + m.data.byteLength, 0));
    maps.forEach((m, i) => {
      const r = ranges[i];
      expect(r).toMatchObject({ tensor: m.tensor, shape: m.shape, length: m.data.byteLength });
      expect(new Uint8Array(file.subarray(r?.offset, (r?.offset ?? 0) + (r?.length ?? 0)))).toEqual(m.data);
    });
  });
});

describe('createMapsSink', () => {
  it('keeps the maps in memory without a path', async () => {
    const sink = createMapsSink(undefined);
    const maps = [map(1, 4), map(2, 3)];
    for (const m of maps) sink.add(m);
    expect(await sink.finish()).toEqual({ maps });
  });

  it('writes each map as it is added, back to back, and lists where each lies', async () => {
    const path = join(dir, 'x.maps');
    writeFileSync(path, Buffer.alloc(1000, 9)); // an older, longer file is truncated
    const maps = Array.from({ length: 40 }, (_, i) => map(i, i % 7 === 0 ? 0 : 5000 + i));
    const sink = createMapsSink(path);
    for (const m of maps) sink.add(m);
    const { maps: kept, mapRanges } = await sink.finish();
    expect(kept).toEqual([]);
    const file = readFileSync(path);
    expect(file.byteLength).toBe(maps.reduce((n, m) => n + m.data.byteLength, 0));
    maps.forEach((m, i) => {
      const r = mapRanges?.[i];
      expect(r).toMatchObject({ tensor: m.tensor, shape: m.shape, length: m.data.byteLength });
      expect(new Uint8Array(file.subarray(r?.offset, (r?.offset ?? 0) + (r?.length ?? 0)))).toEqual(m.data);
    });
  });

  it('writes maps adjacent in one buffer together, in writes of bounded size, each where its range says', async () => {
    const path = join(dir, 'arena.maps');
    const arena = new Uint8Array(3_000_000).map((_, k) => (k * 13) % 251);
    // Back to back in `arena`, save the fourth (a gap) and one from a buffer of its own.
    const sizes = [700_000, 0, 500_000, 300_000, 900_000, 100_000];
    let at = 0;
    const maps = sizes.map((size, i): FeatureMap => {
      if (i === 3) at += 17;
      const m = { ...map(i, 0), shape: [size], data: arena.subarray(at, at + size) };
      at += size;
      return m;
    });
    maps.splice(2, 0, map(99, 1234));
    const sink = createMapsSink(path);
    for (const m of maps) sink.add(m);
    const { mapRanges } = await sink.finish();
    const file = readFileSync(path);
    expect(file.byteLength).toBe(maps.reduce((n, m) => n + m.data.byteLength, 0));
    maps.forEach((m, i) => {
      const r = mapRanges?.[i];
      expect(r?.length).toBe(m.data.byteLength);
      expect(Buffer.compare(file.subarray(r?.offset, (r?.offset ?? 0) + (r?.length ?? 0)), Buffer.from(m.data))).toBe(0);
    });
  });

  it('copies out maps that are views into a larger buffer when it keeps them in memory', async () => {
    const arena = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const sink = createMapsSink(undefined);
    sink.add({ ...map(0, 0), data: arena.subarray(1, 4) });
    arena.fill(0); // the next run reuses the arena
    const { maps } = await sink.finish();
    expect(Array.from(maps[0]?.data ?? [])).toEqual([2, 3, 4]);
  });

  it('fails with INTERNAL naming the file when it cannot be created', () => {
    expect(() => createMapsSink(join(dir, 'no', 'such', 'dir.maps'))).toThrow(/could not write the feature maps to .*dir\.maps/);
  });
});
