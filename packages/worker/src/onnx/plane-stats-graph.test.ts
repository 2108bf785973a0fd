import * as ort from 'onnxruntime-node';
import { buildModel, node, valueInfo } from '../../../../test/support/onnx-builder';
import { appendToGraph } from './expose-outputs';
import { planeStatsGraph } from './plane-stats-graph';

/** x → Identity → y, [2, 3, 4, 5]: 6 planes of 20 values around 1000, one with NaN and ±Inf, one all zero. */
const modelSpec = {
  inputs: [valueInfo('x', 'float', [2, 3, 4, 5])],
  outputs: [valueInfo('y', 'float', null)],
  nodes: [node('Identity', ['x'], ['y'], {}, '/id')],
};
let s = 7;
const data = Float32Array.from({ length: 120 }, () => {
  s = (s * 1103515245 + 12345) % 2 ** 31;
  return 1000 + (s / 2 ** 31 - 0.5);
});
data.fill(0, 20, 40);
data.set([NaN, Infinity, -Infinity, 0, 1], 60);

/** The same statistics in float64 JS, plane by plane. */
function reference(plane: Float32Array, lo: number, hi: number) {
  const finite = Array.from(plane).filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  return {
    min: Math.min(...finite), max: Math.max(...finite), mean, m2: finite.reduce((a, b) => a + (b - mean) ** 2, 0),
    nonzero: finite.filter((v) => v !== 0).length, nan: plane.filter(Number.isNaN).length,
    nonfinite: plane.length - finite.length, outside: plane.filter((v) => !(v > lo && v < hi)).length,
  };
}

describe('planeStatsGraph', () => {
  it.each([13, 18])('gives each plane the statistics float64 JS gives, masking NaN and ±Inf (opset %i)', async (opset) => {
    const { graph, outputs } = planeStatsGraph([{ name: 'y', float32: true, bounds: [0, 1000] }], opset);
    const bytes = appendToGraph(buildModel({ ...modelSpec, opset }), graph);
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
    const names = outputs.get('y');
    if (!names) throw new Error('no outputs');
    const got = await session.run({ x: new ort.Tensor('float32', data, [2, 3, 4, 5]) }, Object.values(names) as string[]);
    expect(Array.from(got[names.shape]?.data as BigInt64Array, Number)).toEqual([2, 3, 4, 5]);
    for (let p = 0; p < 6; p++) {
      const want = reference(data.subarray(p * 20, p * 20 + 20), 0, 1000);
      for (const [field, value] of Object.entries(want)) {
        const out = got[names[field as keyof typeof want] as string]?.data as Float32Array;
        expect(out).toHaveLength(6);
        // float32 sums: within a few ulps of the value (counts, min and max exactly).
        expect(Math.abs((out[p] as number) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-6 + 1e-4);
      }
    }
    await session.release();
  });
});
