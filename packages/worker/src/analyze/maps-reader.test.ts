import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerResult } from '@cnnvis/protocol';
import { packChannels } from '../stats/packed-channels';
import type { FeatureMap } from './analyze-types';
import { createMapsSink } from './maps-file';
import { readChannels, readLayers, readMapBytes } from './maps-reader';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-maps-reader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const map = (i: number, size: number): FeatureMap => ({
  tensor: `t${i}`,
  shape: [size],
  channelMin: Float32Array.of(i),
  channelMax: Float32Array.of(i + 1),
  data: Uint8Array.from({ length: size }, (_, k) => (i * 11 + k) % 256),
});

const stats = (min: number | null, zeros: number) => ({ min, max: min === null ? null : min + 1, mean: min, std: 0.5, zeros, nan: 0, inf: 0 });
const full: LayerResult[] = [
  { node: 'conv', op: 'Conv', tensor: 'c', shape: [1, 2], stats: stats(0, 1), channels: [stats(0, 1), stats(null, 2)] },
  { node: 'relu', op: 'Relu', tensor: 'r', shape: [1, 1], stats: stats(1, 0), channels: [stats(1, 0)] },
];

/** A maps file as a pooled job leaves it: the maps, then the packed statistics. */
async function writeRun(path: string) {
  const maps = [map(0, 7), map(1, 0), map(2, 300)];
  const { layers, ...arrays } = packChannels(full);
  const sink = createMapsSink(path);
  for (const m of maps) sink.add(m);
  const statsAt = sink.append(new Uint8Array(arrays.channelStats.buffer)) ?? -1;
  const { mapRanges = [] } = await sink.finish();
  return { maps, mapRanges, layers, arrays, inFile: { channelCounts: arrays.channelCounts, statsAt } };
}

describe('maps reader', () => {
  it('reads each map back by its range, and the statistics after the maps', async () => {
    const path = join(dir, 'run.maps');
    const { maps, mapRanges, layers, arrays, inFile } = await writeRun(path);
    for (const [i, range] of mapRanges.entries()) expect(new Uint8Array(await readMapBytes(path, range))).toEqual(maps[i]?.data);
    expect(readChannels(path, inFile)).toEqual(arrays);
    expect(readLayers(path, layers, inFile)).toEqual(full);
  });

  it('hands statistics held in memory back without reading the file', () => {
    const { layers, ...arrays } = packChannels(full);
    expect(readChannels(join(dir, 'none.maps'), arrays)).toBe(arrays);
    expect(readLayers(join(dir, 'none.maps'), layers, arrays)).toEqual(full);
  });

  it('fails on a file cut short or gone, naming what is missing', async () => {
    const path = join(dir, 'run.maps');
    const { mapRanges, inFile } = await writeRun(path);
    truncateSync(path, 100);
    await expect(readMapBytes(path, mapRanges[2] ?? { tensor: '', offset: 0, length: 0 })).rejects.toThrow(/ends before the bytes of tensor 't2'/);
    expect(() => readChannels(path, inFile)).toThrow(/ends before the statistics' 168 bytes/);
    rmSync(path);
    await expect(readMapBytes(path, mapRanges[0] ?? { tensor: '', offset: 0, length: 0 })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
