/**
 * `viz.featureMaps`' input as it travels (float32 bytes with a shape, or an encoded image) and a
 * printable table of its result.
 * @module
 */
import { detectImageFormat, type AnalyzeRequest, type FeatureMapsResult } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';

/**
 * A model input: a float tensor (NCHW for image models), PNG/JPEG bytes, or an image file's path
 * (Node only); images are preprocessed on the server.
 * @example
 * const input: FeatureMapsInput = { data: new Float32Array(3 * 224 * 224), shape: [1, 3, 224, 224] };
 */
export type FeatureMapsInput = { data: Float32Array | readonly number[]; shape: readonly number[] } | Uint8Array | string;

function encodedImage(bytes: Uint8Array, what: string): AnalyzeRequest['input'] {
  const encoding = detectImageFormat(bytes);
  if (encoding === undefined) {
    throw CnnvisClientError.badRequest([{ path: 'input', message: `${what} is neither a PNG nor a JPEG file` }]);
  }
  return { encoding, data: bytes };
}

/**
 * The input as an `analysis:run` request carries it.
 * @example
 * await toAnalyzeInput({ data: new Float32Array(4), shape: [1, 1, 2, 2] });
 * // { dtype: 'float32', shape: [1, 1, 2, 2], data: Uint8Array(16) }
 */
export async function toAnalyzeInput(input: FeatureMapsInput): Promise<AnalyzeRequest['input']> {
  if (typeof input === 'string') {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(input).catch((err: Error) => {
      throw CnnvisClientError.badRequest([{ path: 'input', message: `cannot read ${input}: ${err.message}` }]);
    });
    return encodedImage(bytes, input);
  }
  if (input instanceof Uint8Array) return encodedImage(input, 'the input bytes');
  const { shape } = input;
  const count = shape.reduce((n, d) => n * d, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw CnnvisClientError.badRequest([{ path: 'input.shape', message: `must hold positive integers, got [${shape.join(', ')}]` }]);
  }
  if (input.data.length !== count) {
    throw CnnvisClientError.badRequest([
      { path: 'input.data', message: `has ${input.data.length} values but shape [${shape.join(', ')}] needs ${count}` },
    ]);
  }
  const floats = input.data instanceof Float32Array ? input.data : Float32Array.from(input.data);
  return { dtype: 'float32', shape: [...shape], data: new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength) };
}

const fixed = (v: number | null, digits = 3) => (v === null ? '—' : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(digits));

/**
 * The result as a text table, one line per layer: name, op, shape, statistics and share of zeros.
 * @example
 * const result = await viz.featureMaps('convnet.onnx', input);
 * console.log(formatFeatureMaps(result));
 */
export function formatFeatureMaps(result: FeatureMapsResult): string {
  const header = ['layer', 'op', 'shape', 'min', 'mean', 'max', 'std', 'zeros', 'nan/inf'];
  const rows = result.layers.map((l) => [
    l.node,
    l.op,
    `[${l.shape.join(', ')}]`,
    fixed(l.stats.min),
    fixed(l.stats.mean),
    fixed(l.stats.max),
    fixed(l.stats.std),
    `${(l.stats.zeros * 100).toFixed(1)}%`,
    `${l.stats.nan}/${l.stats.inf}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const t = result.timings;
  return [
    `run ${result.runId} on ${result.provider}: ${t.totalMs.toFixed(0)} ms (queue ${t.queueMs.toFixed(0)}, session ${t.sessionMs.toFixed(0)}, run ${t.runMs.toFixed(0)}, stats ${t.statsMs.toFixed(0)}, store ${t.storeMs.toFixed(0)})`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
