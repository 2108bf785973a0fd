/**
 * Bad models and bad inputs: each fails with a WorkerError whose code and
 * message name the problem, never a crash or a raw runtime dump.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { analyzeModel, clearModelCache, ORT_MAX_IR_VERSION, parseModel, WorkerError, type AnalyzeJob } from '../src';
import { createModelDir, fixtureModel, sha256 } from './support/fixtures';
import { futureIrModel, intOnlyModel, relu4, sobelModel, unsupportedOpModel } from '../../../test/support/test-models';
import { buildModel } from '../../../test/support/onnx-builder';

const models = createModelDir();
afterAll(async () => {
  await clearModelCache();
  models.cleanup();
});

async function analyzeError(bytes: Uint8Array, input: AnalyzeJob['input'], extra: Partial<AnalyzeJob> = {}): Promise<WorkerError> {
  try {
    await analyzeModel({ ...models.write(bytes), input, maxChannels: 4, provider: 'cpu', ...extra });
  } catch (err) {
    expect(err).toBeInstanceOf(WorkerError);
    return err as WorkerError;
  }
  throw new Error('expected the analysis to fail');
}

function parseError(bytes: Uint8Array): WorkerError {
  try {
    parseModel(bytes, sha256(bytes));
  } catch (err) {
    expect(err).toBeInstanceOf(WorkerError);
    return err as WorkerError;
  }
  throw new Error('expected parsing to fail');
}

const convnet = readFileSync(fixtureModel('convnet.onnx').modelPath);
const x4 = { data: new Float32Array(4), shape: [1, 4] };

describe('bad model files', () => {
  it.each([
    ['an empty file', new Uint8Array(0), /empty/],
    ['a text file', new TextEncoder().encode('name,value\nloss,0.3\n'), /text file/],
    ['random bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 7919 + 13) % 251), /not an ONNX model/],
    ['a PNG', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), /not an ONNX model: it starts with bytes 89 50 4e 47/],
    ['a truncated model', convnet.subarray(0, Math.floor(convnet.length / 2)), /truncated/],
    ['a model cut just after its header', convnet.subarray(0, 40), /truncated/],
  ])('%s is BAD_MODEL', (_what, bytes, message) => {
    const err = parseError(bytes);
    expect(err.code).toBe('BAD_MODEL');
    expect(err.message).toMatch(message);
  });

  it('a model whose IR version is too new is UNSUPPORTED, naming both versions', () => {
    const err = parseError(futureIrModel(ORT_MAX_IR_VERSION + 1));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(new RegExp(`IR version ${ORT_MAX_IR_VERSION + 1} is newer .* ${ORT_MAX_IR_VERSION} at most`));
  });

  it('ORT_MAX_IR_VERSION is what this ONNX Runtime really accepts', async () => {
    const ok = await ort.InferenceSession.create(futureIrModel(ORT_MAX_IR_VERSION));
    await ok.release();
    await expect(ort.InferenceSession.create(futureIrModel(ORT_MAX_IR_VERSION + 1))).rejects.toThrow(/IR version/);
  });

  it('a model without a graph, and one with an empty graph, are BAD_MODEL', () => {
    // ir_version 8 and nothing else: field 1, varint 8.
    expect(parseError(Uint8Array.of(0x08, 0x08)).message).toMatch(/has no graph/);
    expect(parseError(buildModel({ inputs: [], outputs: [], nodes: [], name: 'hollow' })).message).toMatch(/graph 'hollow' has no nodes/);
  });

  it('a model with an unsupported op is UNSUPPORTED, naming the op', async () => {
    const err = await analyzeError(unsupportedOpModel(), x4);
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/does not support \(FrobnicateTensor\)/);
    expect(err.message).not.toMatch(/\.cc:\d+/);
  });

  it('a model with no float tensors is UNSUPPORTED', async () => {
    const err = await analyzeError(intOnlyModel(), x4);
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/no float tensors.*'ids' is int64/);
  });

  it('a model file that is not there is BAD_INPUT', async () => {
    await expect(analyzeModel({ modelPath: '/nonexistent/model.onnx', modelId: 'f'.repeat(64), input: x4, maxChannels: 4, provider: 'cpu' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/cannot read the model file .*ENOENT/),
    });
  });
});

describe('bad inputs', () => {
  const sobel = sobelModel(8, 8);
  it.each([
    ['the wrong rank', { data: new Float32Array(64), shape: [1, 64] }, /rank 2; the model's input 'image' is \[batch, 1, 8, 8\]/],
    ['the wrong size', { data: new Float32Array(100), shape: [1, 1, 10, 10] }, /dimension 2 is 10, the model needs 8/],
    ['too little data', { data: new Float32Array(10), shape: [1, 1, 8, 8] }, /has 10 values but shape \[1, 1, 8, 8\] needs 64/],
    ['a non-integer dimension', { data: new Float32Array(64), shape: [1, 1, 8, 8.5] }, /positive integers/],
    ['the wrong type', { data: new Int32Array(64) as unknown as Float32Array, shape: [1, 1, 8, 8] }, /Float32Array/],
  ])('an input of %s is BAD_INPUT', async (_what, input, message) => {
    const err = await analyzeError(sobel, input);
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(message);
  });

  it('an image that is neither PNG nor JPEG is BAD_INPUT', async () => {
    const err = await analyzeError(sobel, { encoded: new TextEncoder().encode('GIF89a....') });
    expect(err).toMatchObject({ code: 'BAD_INPUT', message: 'the encoded input is neither a PNG nor a JPEG file' });
  });

  it('a layer filter that matches nothing is BAD_INPUT', async () => {
    const err = await analyzeError(buildModel(relu4()), x4, { layers: ['Softmax'] });
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/no layer matches the filter \[Softmax\]/);
  });

  it('cuda without CUDA fails with PROVIDER_UNAVAILABLE; auto falls back to the CPU and says why', async () => {
    const cuda = await analyzeError(buildModel(relu4()), x4, { provider: 'cuda' });
    expect(cuda.code).toBe('PROVIDER_UNAVAILABLE');
    expect(cuda.message).toMatch(/CUDA execution provider is not available/);
    const auto = await analyzeModel({ ...models.write(buildModel(relu4())), input: x4, maxChannels: 4, provider: 'auto' });
    expect(auto.provider).toBe('cpu');
    expect(auto.providerNote).toMatch(/^CUDA unavailable: /);
  });
});
