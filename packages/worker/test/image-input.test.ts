/** Encoded images as model inputs, end to end through analyzeModel. */
import { encode as encodeJpeg } from 'jpeg-js';
import { analyzeModel, clearModelCache } from '../src';
import { createModelDir } from './support/fixtures';
import { encodePng } from '../../../test/support/png-encode';
import { sobelModel } from '../../../test/support/test-models';

const models = createModelDir();
afterAll(async () => {
  await clearModelCache();
  models.cleanup();
});

describe('encoded image input', () => {
  it('feeds a PNG resized to the model input and scaled to [0, 1]', async () => {
    const grey = Uint8Array.from({ length: 16 }, (_, i) => i * 17); // 4×4, 0..255
    const out = await analyzeModel({
      ...models.write(sobelModel(8, 8)),
      input: { encoded: encodePng({ width: 4, height: 4, colorType: 0, data: grey }) },
      maxChannels: 2,
      provider: 'cpu',
    });
    const input = out.maps[0];
    expect(input?.shape).toEqual([1, 8, 8]);
    expect(input?.channelMin[0]).toBeCloseTo(0, 6);
    expect(input?.channelMax[0]).toBeCloseTo(1, 6);
    expect(out.graph.edges.find((e) => e.tensor === 'image')?.shape).toEqual([1, 1, 8, 8]);
    expect(out.layers[0]?.shape).toEqual([1, 2, 8, 8]);
  });

  it('decodes a JPEG', async () => {
    const job = { ...models.write(sobelModel(8, 8)), maxChannels: 2, provider: 'cpu' as const };
    const rgba = new Uint8Array(8 * 8 * 4).fill(200);
    const out = await analyzeModel({ ...job, input: { encoded: encodeJpeg({ data: rgba, width: 8, height: 8 }, 95).data } });
    expect(out.maps[0]?.channelMax[0]).toBeCloseTo(200 / 255, 1);
  });
});
