import { AttributionRequestSchema } from './attribution';
import { occlusionPlan } from './occlusion-plan';

test('occlusionPlan: the patch covers each axis to its edge, and the passes are the positions', () => {
  expect(occlusionPlan(16, 16, 4, 4)).toMatchObject({ ys: [0, 4, 8, 12], passes: 16 });
  expect(occlusionPlan(224, 224, 32, 16)).toMatchObject({ patch: 32, stride: 16, passes: 13 * 13 });
  expect(occlusionPlan(10, 7, 5, 4)).toMatchObject({ ys: [0, 4, 5], xs: [0, 2], passes: 6 });
  expect(occlusionPlan(224, 224)).toMatchObject({ patch: 32, stride: 16 });
  expect(occlusionPlan(8, 8, 20)).toMatchObject({ ys: [0], passes: 1 });
  expect(() => occlusionPlan(8, 8, 4, 0)).toThrow(RangeError);
  expect(() => occlusionPlan(8, 8, 2.5)).toThrow(RangeError);
});

test('an attribution names a kept run, or a model and an input, not both', () => {
  const modelId = 'a'.repeat(64);
  const input = { dtype: 'float32' as const, shape: [1], data: new Uint8Array(4) };
  expect(AttributionRequestSchema.safeParse({ runId: 'run_1', method: 'occlusion' }).success).toBe(true);
  expect(AttributionRequestSchema.safeParse({ modelId, input, method: 'occlusion' }).success).toBe(true);
  const both = AttributionRequestSchema.safeParse({ runId: 'run_1', modelId, method: 'occlusion' });
  expect(both.error?.issues.map((i) => i.path.join('.'))).toEqual(['modelId']);
  const neither = AttributionRequestSchema.safeParse({ method: 'occlusion' });
  expect(neither.error?.issues.map((i) => i.path.join('.'))).toEqual(['modelId', 'input']);
});
