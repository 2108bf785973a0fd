/**
 * Type tests of the analysis calls: `tsc --noEmit -p tsconfig.test.json`
 * fails if a line marked `@ts-expect-error` compiles. Nothing here runs.
 */
import type { AttributionResult, CompareResult, DatasetResult, FeatureMapsResult, LayerCompare, LayerResult, Provider, WindowAck } from '@cnnvis/protocol';
import type { CnnVis, FeatureMapsOptions, FiltersResult, LayerFilters } from './index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

export async function checks(viz: CnnVis): Promise<void> {
  expectType<Equal<Awaited<ReturnType<typeof viz.featureMaps>>, FeatureMapsResult>>(true);
  expectType<Equal<Awaited<ReturnType<typeof viz.modelGraph>>, WindowAck>>(true);
  expectType<Equal<Awaited<ReturnType<typeof viz.filters>>, FiltersResult>>(true);
  const result = await viz.featureMaps('model.onnx', { data: new Float32Array(4), shape: [1, 1, 2, 2] }, { layers: ['Conv'], maxChannels: 8 });
  expectType<Equal<typeof result.provider, Provider>>(true);
  expectType<Equal<(typeof result.layers)[number], LayerResult>>(true);
  await viz.featureMaps(new Uint8Array(8), 'cat.jpg', { preprocess: { resize: true, mean: [0.5], std: [0.5], channelOrder: 'bgr' } });
  await viz.featureMaps('a'.repeat(64), new Uint8Array(8), { env: 'e', winPrefix: 'p', onProgress: (p) => void p.fraction.toFixed(2) });
  await viz.modelGraph('model.onnx', { win: 'arch', env: 'e' });
  await viz.filters('model.onnx', 'conv1', { maxFilters: 16, maxInputs: 4, winPrefix: 'w', env: 'e' });
  const stats = await viz.featureMaps('model.onnx', ['a.jpg', 'b.jpg'], { topK: 3, batch: 8, win: 'data' });
  expectType<Equal<typeof stats, DatasetResult>>(true);
  const folder = await viz.featureMaps('model.onnx', { folder: './imgs' }, { topK: 3, graphWin: 'g' });
  expectType<Equal<typeof folder, DatasetResult>>(true);
  expectType<Equal<(typeof folder.layers)[number]['topMean'], number[][]>>(true);
  // @ts-expect-error a folder is a path
  await viz.featureMaps('model.onnx', { folder: 3 });
  // @ts-expect-error one input's options are not a dataset's
  await viz.featureMaps('model.onnx', { folder: './imgs' }, { maxChannels: 8 });
  const where = await viz.attribution('model.onnx', 'cat.jpg', { method: 'occlusion', patch: 32, stride: 16 });
  expectType<Equal<typeof where, AttributionResult>>(true);
  // @ts-expect-error the method is occlusion or score-cam
  await viz.attribution('model.onnx', 'cat.jpg', { method: 'gradcam' });
  const filters = await viz.filters('model.onnx');
  expectType<Equal<(typeof filters.layers)[number], LayerFilters>>(true);

  // Kept runs: featureMaps takes where the run sits; compare takes results, run ids or steps.
  const before = await viz.featureMaps('e1.onnx', 'cat.jpg', { win: 'train', step: 1, label: 'epoch 1', modelName: 'e1' });
  expectType<Equal<Awaited<ReturnType<typeof viz.compare>>, CompareResult>>(true);
  const diff = await viz.compare(before, 'run_ab', { topChannels: 3 });
  expectType<Equal<(typeof diff.layers)[number], LayerCompare>>(true);
  expectType<Equal<(typeof diff.layers)[number]['weightRelL2'], number | null | undefined>>(true);
  await viz.compare(0, 30, { win: 'train', env: 'e' });
  // @ts-expect-error a step is a number, a label a string
  await viz.featureMaps('m.onnx', 'cat.jpg', { step: '3' });
  // @ts-expect-error a run is a result, an id or a step
  await viz.compare({ id: 'run_ab' }, 'run_cd');
  // @ts-expect-error misspelt option
  await viz.compare('run_ab', 'run_cd', { topChannel: 3 });

  // @ts-expect-error the model is a path, bytes or an id, not a number
  await viz.featureMaps(42, 'cat.jpg');
  // @ts-expect-error a tensor input is a Float32Array (or numbers) with its shape
  await viz.featureMaps('m.onnx', { data: new Uint8Array(4), shape: [4] });
  // @ts-expect-error channel order is rgb or bgr
  await viz.featureMaps('m.onnx', 'cat.jpg', { preprocess: { channelOrder: 'grb' } });
  // @ts-expect-error misspelt option
  await viz.featureMaps('m.onnx', 'cat.jpg', { maxChanels: 8 });
  // @ts-expect-error layers is a list
  await viz.featureMaps('m.onnx', 'cat.jpg', { layers: 'Conv' });
  // @ts-expect-error modelGraph takes no layers
  await viz.modelGraph('m.onnx', { layers: ['Conv'] });
  // @ts-expect-error filters read the weights and run nothing, so they take no input
  await viz.filters('m.onnx', 'conv1', { input: { data: new Float32Array(4), shape: [1, 1, 2, 2] } });

  const opts: FeatureMapsOptions = {};
  // @ts-expect-error option objects are closed types too
  opts.window = 'x';
}
