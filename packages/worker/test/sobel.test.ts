/**
 * Activations against an independent reference: a conv with known weights
 * (Sobel filters plus a bias, then ReLU) on a synthetic image, checked value
 * by value against a naive convolution written here.
 */
import { analyzeModel, clearModelCache, unpackChannels, type AnalyzeOutput, type ChannelArrays } from '../src';
import { createModelDir } from './support/fixtures';
import { SOBEL_BIAS, SOBEL_X, SOBEL_Y, sobelModel } from '../../../test/support/test-models';

const H = 12;
const W = 16;

/** A bright square on a gradient: edges in both directions, and flat areas where Sobel gives 0. */
function syntheticImage(batch: number): Float32Array {
  const img = new Float32Array(batch * H * W);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) img[(b * H + y) * W + x] = (x >= 4 && x < 10 && y >= 3 && y < 8 ? 1 : 0) + 0.05 * x * (b + 1);
    }
  }
  return img;
}

/** Zero-padded 3×3 cross-correlation (what ONNX Conv computes), plus bias. */
function naiveConv(img: Float32Array, b: number, kernel: number[], bias: number): Float32Array {
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = bias;
      for (let ky = 0; ky < 3; ky++) {
        for (let kx = 0; kx < 3; kx++) {
          const iy = y + ky - 1;
          const ix = x + kx - 1;
          if (iy >= 0 && iy < H && ix >= 0 && ix < W) s += (kernel[ky * 3 + kx] as number) * (img[(b * H + iy) * W + ix] as number);
        }
      }
      out[y * W + x] = s;
    }
  }
  return out;
}

describe('a conv with known weights (Sobel) against a naive convolution', () => {
  const models = createModelDir();
  const batch = 2;
  const image = syntheticImage(batch);
  let out: AnalyzeOutput;

  beforeAll(async () => {
    out = await analyzeModel({ ...models.write(sobelModel(H, W)), input: { data: image, shape: [batch, 1, H, W] }, maxChannels: 8, provider: 'cpu' });
  });
  afterAll(async () => {
    await clearModelCache();
    models.cleanup();
  });

  const expected = (relu: boolean) =>
    Array.from({ length: batch }, (_, b) =>
      [SOBEL_X, SOBEL_Y].map((k, c) => naiveConv(image, b, k, SOBEL_BIAS[c] as number).map((v) => (relu ? Math.max(0, v) : v))),
    );

  it('reports both layers in graph order with their output shapes', () => {
    expect(out.layers.map((l) => [l.node, l.op, l.shape])).toEqual([
      ['/sobel/conv/Conv', 'Conv', [batch, 2, H, W]],
      ['/sobel/Relu', 'Relu', [batch, 2, H, W]],
    ]);
  });

  it.each([
    ['conv', 0, false],
    ['relu', 1, true],
  ] as const)('%s statistics equal those of the naive result, per channel and per layer', (_name, layer, relu) => {
    const ref = expected(relu);
    const result = unpackChannels({ layers: out.layers, ...(out.packedChannels as ChannelArrays) })[layer];
    for (let c = 0; c < 2; c++) {
      const values = ref.flatMap((perBatch) => Array.from(perBatch[c] as Float32Array));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      const ch = result?.channels[c];
      expect(ch?.min).toBeCloseTo(Math.min(...values), 5);
      expect(ch?.max).toBeCloseTo(Math.max(...values), 5);
      expect(ch?.mean).toBeCloseTo(mean, 5);
      expect(ch?.std).toBeCloseTo(std, 5);
      expect(ch?.zeros).toBeCloseTo(values.filter((v) => v === 0).length / values.length, 6);
    }
    const all = ref.flatMap((perBatch) => perBatch.flatMap((p) => Array.from(p)));
    expect(result?.stats.min).toBeCloseTo(Math.min(...all), 5);
    expect(result?.stats.max).toBeCloseTo(Math.max(...all), 5);
    if (relu) expect(result?.stats.zeros).toBeGreaterThan(0.2); // flat areas with a negative bias die
  });

  it('feature maps of batch item 0 dequantise to the naive values within one quantisation step', () => {
    const ref = expected(false)[0] as Float32Array[];
    const map = out.maps.find((m) => m.tensor === 'conv_out');
    expect(map?.shape).toEqual([2, H, W]);
    for (let c = 0; c < 2; c++) {
      const lo = map?.channelMin[c] as number;
      const hi = map?.channelMax[c] as number;
      const plane = ref[c] as Float32Array;
      expect(lo).toBeCloseTo(Math.min(...plane), 5);
      expect(hi).toBeCloseTo(Math.max(...plane), 5);
      const step = (hi - lo) / 255;
      plane.forEach((v, i) => {
        const q = map?.data[c * H * W + i] as number;
        expect(Math.abs(lo + q * step - v)).toBeLessThanOrEqual(step / 2 + 1e-5);
      });
    }
  });

  it('shows the input image as the first feature map', () => {
    const map = out.maps[0];
    expect(map?.tensor).toBe('image');
    expect(map?.shape).toEqual([1, H, W]);
  });

  it('gives the Sobel kernels as filters, quantised over the whole weight tensor, with a histogram', () => {
    expect(out.filters).toHaveLength(1);
    const f = out.filters[0];
    expect(f?.node).toBe('/sobel/conv/Conv');
    expect(f?.shape).toEqual([2, 1, 3, 3]);
    expect([f?.min, f?.max]).toEqual([-2, 2]);
    const dequant = Array.from(f?.data ?? [], (q) => -2 + (q / 255) * 4);
    [...SOBEL_X, ...SOBEL_Y].forEach((w, i) => expect(dequant[i]).toBeCloseTo(w, 1));
    expect(f?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(18);
    expect(f?.histogram.edges[0]).toBe(-2);
    expect(f?.histogram.edges.at(-1)).toBe(2);
  });

  it('reports the CPU as the provider that ran every node, with timings', () => {
    expect(out.provider).toBe('cpu');
    expect(out.providerNote).toBeUndefined();
    expect(out.timings.runMs).toBeGreaterThan(0);
  });

  it('puts observed shapes on the edges', () => {
    const edge = out.graph.edges.find((e) => e.tensor === 'conv_out');
    expect(edge).toMatchObject({ from: '/sobel/conv/Conv', to: ['/sobel/Relu'], dtype: 'float', shape: [batch, 2, H, W] });
    expect(out.graph.edges.find((e) => e.tensor === 'image')?.shape).toEqual([batch, 1, H, W]);
  });
});
