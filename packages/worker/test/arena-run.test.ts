/**
 * Runs into the activation arena (ONNX Runtime writing the activations into
 * the SIMD kernel's memory, from a model's second run with an input shape on)
 * give exactly what the first, plain run (its outputs copied in) gives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel, clearModelCache, type AnalyzeOutput } from '../src';
import { runIntoArena } from '../src/analyze/arena-run';
import { decodeModel } from '../src/onnx/decode-model';
import { exposeOutputs } from '../src/onnx/expose-outputs';
import { exposedTensors } from '../src/runtime/exposed-tensors';
import { summarizeSlot } from '../src/stats/arena-summary';
import { simdKernels } from '../src/stats/simd-kernels';

// Counts the tensors summarised from an arena (the module's exports cannot be spied on in place).
jest.mock('../src/stats/arena-summary', () => {
  const real = jest.requireActual<typeof import('../src/stats/arena-summary')>('../src/stats/arena-summary');
  return { ...real, summarizeSlot: jest.fn(real.summarizeSlot) };
});
const spy = summarizeSlot as jest.MockedFunction<typeof summarizeSlot>;
import { fixtureModel, readReference } from './support/fixtures';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-arena-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
afterAll(() => clearModelCache());

/** The maps as bytes per tensor, from memory or from the maps file. */
function mapBytes(out: AnalyzeOutput, file?: string): Record<string, number[]> {
  if (!file) return Object.fromEntries(out.maps.map((m) => [m.tensor, Array.from(m.data)]));
  const bytes = readFileSync(file);
  return Object.fromEntries((out.mapRanges ?? []).map((r) => [r.tensor, Array.from(bytes.subarray(r.offset, r.offset + r.length))]));
}

const ranges = (out: AnalyzeOutput) =>
  (out.mapRanges ?? out.maps).map((m) => ({ tensor: m.tensor, shape: m.shape, min: Array.from(m.channelMin), max: Array.from(m.channelMax) }));

describe.each([
  ['convnet.onnx', 'convnet', 16],
  ['residual-opset17.onnx', 'residual', 3],
])('%s', (file, reference, maxChannels) => {
  const model = fixtureModel(file);
  const ref = readReference(reference);
  const input = { data: Float32Array.from(ref.input.data), shape: ref.input.shape };

  it.each([false, true])('gives the plain run\'s layers, ranges and map bytes (maps file: %s)', async (toFile) => {
    clearModelCache();
    const runs: AnalyzeOutput[] = [];
    const files: (string | undefined)[] = [];
    const fromArena: number[] = [];
    for (let i = 0; i < 3; i++) {
      const mapsPath = toFile ? join(dir, `run${i}.maps`) : undefined;
      spy.mockClear();
      runs.push(await analyzeModel({ ...model, input, maxChannels, provider: 'cpu', ...(mapsPath ? { mapsPath } : {}) }));
      fromArena.push(spy.mock.calls.length);
      files.push(mapsPath);
    }
    // The input and every layer, every run.
    expect(fromArena).toEqual(runs.map(() => runs[0]!.layers.length + 1));
    const [plain, ...arena] = runs as [AnalyzeOutput, ...AnalyzeOutput[]];
    expect(plain.layers.length).toBeGreaterThan(3);
    expect(plain.packedChannels?.channelStats.length).toBeGreaterThan(0);
    arena.forEach((out, i) => {
      expect(out.layers).toEqual(plain.layers);
      expect(out.packedChannels).toEqual(plain.packedChannels);
      expect(out.graph).toEqual(plain.graph);
      expect(ranges(out)).toEqual(ranges(plain));
      expect(mapBytes(out, files[i + 1])).toEqual(mapBytes(plain, files[0]));
    });
  });
});

describe('runIntoArena', () => {
  const model = fixtureModel('convnet.onnx');
  const ref = readReference('convnet');
  const input = { name: 'input', data: Float32Array.from(ref.input.data), shape: ref.input.shape };

  it('runs plainly first and copies the outputs in, then runs into the arena, where the activations are those ONNX Runtime returns', async () => {
    const bytes = readFileSync(model.modelPath);
    const session = await ort.InferenceSession.create(exposeOutputs(bytes, exposedTensors(decodeModel(bytes))));
    try {
      const fetches = ['/conv1/Conv_output_0', '/relu2/Relu_output_0', 'logits'];
      const first = await runIntoArena({ session, input, fetches, maxChannels: 4, kernels: simdKernels() });
      const want = Object.fromEntries(fetches.map((f) => [f, Array.from(first.results[f]?.data as Float32Array)]));
      for (const run of [first, await runIntoArena({ session, input, fetches, maxChannels: 4, kernels: simdKernels() })]) {
        const arena = run.arena;
        expect(arena?.layout.slots.map((s) => s.name)).toEqual(['input', ...fetches]);
        arena?.layout.slots.forEach((s, i) => {
          expect(Array.from(new Float32Array(arena.buffer, s.floatsAt, s.length))).toEqual(i === 0 ? Array.from(input.data) : want[s.name]);
        });
      }
      // Another input shape is another plan: ORT's own outputs again, copied in.
      const bigger = { ...input, data: new Float32Array(2 * 28 * 28), shape: [2, 1, 28, 28] };
      const other = await runIntoArena({ session, input: bigger, fetches, maxChannels: 4, kernels: simdKernels() });
      expect(other.arena?.layout.slots[1]?.shape).toEqual(other.results['/conv1/Conv_output_0']?.dims);
    } finally {
      await session.release();
    }
  });

  it('runs plainly again, and forgets the shapes, when the pre-allocated outputs do not fit', async () => {
    const calls: string[] = [];
    const out = new ort.Tensor('float32', new Float32Array(4), [1, 4]);
    // Stands in for a model whose output shape depends on the input's values.
    const session = {
      run: (_feeds: unknown, fetches: unknown) => {
        calls.push(Array.isArray(fetches) ? 'plain' : 'arena');
        if (!Array.isArray(fetches)) return Promise.reject(new Error('Got invalid dimensions for output: y'));
        return Promise.resolve({ y: out });
      },
    } as unknown as ort.InferenceSession;
    const run = () => runIntoArena({ session, input, fetches: ['y'], maxChannels: 4, kernels: simdKernels() });
    expect((await run()).arena).not.toBeNull(); // copied in
    expect((await run()).arena).toBeNull();
    expect((await run()).arena).toBeNull();
    expect(calls).toEqual(['plain', 'arena', 'plain', 'plain']);
  });
});
