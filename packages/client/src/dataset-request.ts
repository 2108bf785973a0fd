/**
 * `viz.featureMaps(model, inputs[])`'s options and request. The inputs travel as one binary
 * (socket.io refuses more than ten): tensors stacked along axis 0, or image files back to back.
 * @module
 */
import type { DatasetRequest } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import { toAnalyzeInput, type FeatureMapsInput } from './feature-maps';
import type { ModelOptions } from './options';
import { setFields } from './request-common';

/**
 * Options of `viz.featureMaps` given a list of inputs (see the protocol's DatasetRequestSchema).
 * @example
 * const stats = await viz.featureMaps('mobilenetv2.onnx', ['a.jpg', 'b.jpg', 'c.jpg'], { win: 'data', topK: 3 });
 * for (const l of stats.layers) if (l.deadChannels.length) console.log(l.node, 'dead:', l.deadChannels);
 */
export interface DatasetOptions extends ModelOptions, Pick<DatasetRequest, 'layers' | 'batch' | 'topK' | 'win' | 'graphWin' | 'preprocess' | 'modelName'> {}

/**
 * A folder of images (Node only): its `.png`, `.jpg` and `.jpeg` files in natural name order.
 * @example
 * await viz.featureMaps('model.onnx', { folder: './val-images' }, { win: 'val', topK: 5 });
 */
export interface DatasetFolder {
  folder: string;
}

/** @example isDatasetFolder({ folder: './imgs' }) // true */
export function isDatasetFolder(v: unknown): v is DatasetFolder {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { folder?: unknown }).folder === 'string';
}

/** The image files of a folder, as paths. */
async function folderImages(folder: string): Promise<string[]> {
  const [{ readdir }, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const entries = await readdir(folder, { withFileTypes: true }).catch((err: Error) => {
    throw CnnvisClientError.badRequest([{ path: 'inputs.folder', message: `cannot be read: ${err.message}` }]);
  });
  const names = entries.filter((e) => e.isFile() && /\.(png|jpe?g)$/i.test(e.name)).map((e) => e.name);
  if (names.length === 0) throw CnnvisClientError.badRequest([{ path: 'inputs.folder', message: `'${folder}' holds no .png, .jpg or .jpeg file` }]);
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((n) => join(folder, n));
}

const FIELDS = ['layers', 'batch', 'topK', 'win', 'graphWin', 'preprocess'] as const;
const bad = (message: string) => CnnvisClientError.badRequest([{ path: 'inputs', message }]);

/** The inputs as one binary: stacked tensors, or image files back to back. */
async function packInputs(inputs: readonly FeatureMapsInput[]): Promise<DatasetRequest['inputs']> {
  if (inputs.length === 0) throw bad('is empty: give at least one input');
  const each = await Promise.all(inputs.map(toAnalyzeInput));
  if (each.every((i) => 'encoding' in i)) {
    const lengths = each.map((i) => i.data.byteLength);
    const encoded = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const i of each) encoded.set(i.data, (at += i.data.byteLength) - i.data.byteLength);
    return { encoded, lengths };
  }
  const first = each[0];
  if (first === undefined || !('shape' in first)) throw bad('mixes images and tensors: give one kind');
  const item = first.shape.slice(1);
  const data = new Uint8Array(each.length * first.data.byteLength);
  each.forEach((t, i) => {
    if (!('shape' in t) || t.shape[0] !== 1 || t.shape.slice(1).join() !== item.join()) {
      throw bad(`[${i}] ${'shape' in t ? `has shape [${t.shape.join(', ')}]` : 'is an image'}; every tensor needs input 0's shape [1, ${item.join(', ')}]`);
    }
    data.set(t.data, i * first.data.byteLength);
  });
  return { dtype: 'float32', shape: [each.length, ...item], data };
}

/**
 * @example
 * await datasetRequest(modelId, [{ data, shape: [1, 1, 8, 8] }], {}, 'main');
 */
export async function datasetRequest(modelId: string, inputs: readonly FeatureMapsInput[] | DatasetFolder, opts: DatasetOptions, env: string): Promise<DatasetRequest> {
  const list = isDatasetFolder(inputs) ? await folderImages(inputs.folder) : inputs;
  return { env: opts.env ?? env, modelId, inputs: await packInputs(list), ...setFields(opts, FIELDS) };
}
