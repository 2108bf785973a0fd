import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyzeOutput } from '../analyze/analyze-types';
import { readChannelStats } from '../analyze/maps-reader';
import { unpackChannels, type FileChannels } from '../stats/packed-channels';
import { createSentGraphs, fromWire, packOutput } from './wire-output';

const stats = (min: number | null, zeros: number, nan = 0) => ({ min, max: min === null ? null : min + 1, mean: min, std: min === null ? null : 0.5, zeros, nan, inf: 0 });

describe('packOutput / fromWire', () => {
  it('carries per-channel statistics as one Float64Array and restores them, nulls included', () => {
    const out: AnalyzeOutput = {
      graph: { modelId: 'f'.repeat(64), irVersion: 8, opsets: {}, producer: '', inputs: [], outputs: [], initializers: [], nodes: [], edges: [] },
      provider: 'cpu',
      timings: { sessionMs: 1, runMs: 2, statsMs: 3 },
      layers: [
        { node: 'a', op: 'Conv', tensor: 'ta', shape: [1, 2, 1, 1], stats: stats(-1, 0), channels: [stats(-1, 0), stats(null, 0, 1)] },
        { node: 'b', op: 'Gemm', tensor: 'tb', shape: [1, 3], stats: stats(0, 1 / 3), channels: [] },
        { node: 'c', op: 'Relu', tensor: 'tc', shape: [1, 1, 1, 1], stats: stats(0, 1), channels: [stats(0, 1)] },
      ],
      maps: [],
      filters: [],
    };
    const wire = packOutput(out);
    expect(wire.layers.every((l) => l.channels.length === 0)).toBe(true);
    expect(Array.from(wire.channelCounts)).toEqual([2, 0, 1]);
    expect(wire.channelStats).toBeInstanceOf(Float64Array);
    const { packedChannels, ...rest } = fromWire(wire);
    const { channelCounts, channelStats } = wire;
    expect(packedChannels).toEqual({ channelCounts, channelStats });
    expect({ ...rest, layers: unpackChannels({ layers: rest.layers, channelCounts, channelStats }) }).toEqual(out);
  });

  it('passes statistics packed already (as analyzeModel makes them) through unchanged', () => {
    const packed = { channelCounts: Uint32Array.of(1), channelStats: Float64Array.of(0, 1, 0.5, 0.25, 0, 0, 0) };
    const layer = { node: 'a', op: 'Relu', tensor: 'ta', shape: [1, 1, 1, 1], stats: stats(0, 0), channels: [] };
    const out: AnalyzeOutput = {
      graph: { modelId: 'f'.repeat(64), irVersion: 8, opsets: {}, producer: '', inputs: [], outputs: [], initializers: [], nodes: [], edges: [] },
      provider: 'cpu',
      timings: { sessionMs: 1, runMs: 2, statsMs: 3 },
      layers: [layer],
      packedChannels: packed,
      maps: [],
      filters: [],
    };
    const wire = packOutput(out);
    expect(wire.channelStats).toBe(packed.channelStats);
    expect(wire.layers).toEqual([layer]);
    expect('packedChannels' in wire).toBe(false);
  });

  it('leaves statistics that lie in the maps file out of the message and in the file, where readChannelStats finds them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnnvis-wire-'));
    try {
      const path = join(dir, 'run.maps');
      const channelStats = Float64Array.of(0, 1, 0.5, 0.25, 0, 0, 0, -2, 3, NaN, 1e-300, 1, 2, 3);
      const file = Buffer.concat([Buffer.from('maps!'), Buffer.from(channelStats.buffer)]);
      writeFileSync(path, file);
      const out: AnalyzeOutput = {
        graph: { modelId: 'f'.repeat(64), irVersion: 8, opsets: {}, producer: '', inputs: [], outputs: [], initializers: [], nodes: [], edges: [] },
        provider: 'cpu',
        timings: { sessionMs: 1, runMs: 2, statsMs: 3 },
        layers: [{ node: 'a', op: 'Relu', tensor: 'ta', shape: [1, 2, 1, 1], stats: stats(0, 0), channels: [] }],
        packedChannels: { channelCounts: Uint32Array.of(2), channelStats },
        channelStatsAt: 5,
        maps: [],
        filters: [],
      };
      const wire = packOutput(out);
      expect(wire.channelStats).toHaveLength(0);
      const back = fromWire(wire, path);
      expect(back.packedChannels).toBeUndefined();
      expect(back.channelsInFile).toEqual({ channelCounts: Uint32Array.of(2), statsAt: 5 });
      expect(readFileSync(path)).toEqual(file); // the file keeps them
      const read = readChannelStats(path, back.channelsInFile as FileChannels);
      expect(Array.from(read.channelStats)).toEqual(Array.from(channelStats));
      expect(read.channelCounts).toEqual(Uint32Array.of(2));
      writeFileSync(path, file.subarray(0, file.length - 1));
      expect(() => fromWire(wire, path)).toThrow(/the statistics are not in .*run\.maps: it ends at byte 116, before theirs end at 117/);
      expect(() => readChannelStats(path, back.channelsInFile as FileChannels)).toThrow(/ends before the statistics' 112 bytes from 5/);
      rmSync(path);
      expect(() => fromWire(wire, path)).toThrow(/the statistics are not in .*ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('graphs and map ranges on the wire', () => {
  const graph = { modelId: 'f'.repeat(64), irVersion: 8, opsets: {}, producer: 'p', inputs: [], outputs: [], initializers: [], nodes: [], edges: [] };
  const out: AnalyzeOutput = {
    graph,
    provider: 'cpu',
    timings: { sessionMs: 1, runMs: 2, statsMs: 3 },
    layers: [],
    packedChannels: { channelCounts: new Uint32Array(0), channelStats: new Float64Array(0) },
    maps: [],
    mapRanges: [
      { tensor: 'a', shape: [2, 1, 1], channelMin: Float32Array.of(-1, -2), channelMax: Float32Array.of(1, 2), offset: 0, length: 2 },
      { tensor: 'b', shape: [3], channelMin: Float32Array.of(0.5), channelMax: Float32Array.of(7), offset: 2, length: 3 },
    ],
    filters: [],
  };

  it('packs map ranges\' bounds into one array and restores them', () => {
    const wire = packOutput(out);
    expect(Array.from(wire.rangeBounds ?? [])).toEqual([-1, -2, 1, 2, 0.5, 7]);
    expect(wire.mapRanges?.every((r) => !('channelMin' in r))).toBe(true);
    expect(fromWire(wire).mapRanges).toEqual(out.mapRanges);
  });

  it('leaves out a graph the parent has (the same object as last sent), which the parent fills in; none known is an error', () => {
    const sent = createSentGraphs();
    expect(sent.get('m')).toBeUndefined();
    sent.set('m', graph);
    const wire = packOutput(out, sent.get('m') === out.graph);
    expect(wire.graph).toBeNull();
    expect(fromWire(wire, undefined, graph).graph).toBe(graph);
    expect(() => fromWire(wire)).toThrow(/sent no graph/);
    for (let i = 0; i < 8; i++) sent.set(`other${i}`, graph);
    expect(sent.get('m')).toBeUndefined(); // evicted past the bound, alike on both sides
  });
});
