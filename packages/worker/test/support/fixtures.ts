/**
 * The committed fixtures (made by fixtures-src/make-fixtures.py from PyTorch)
 * and a helper to write built models to a temp dir, where jobs read them.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export interface Described {
  shape: number[];
  stats: { min: number; max: number; mean: number; std: number; zeros: number };
  samples: [number, number][];
  channels?: { min: number; max: number; mean: number; std: number; zeros: number }[];
}

/** What PyTorch recorded: the input, and per hooked module its ONNX tensor and output. */
export interface Reference {
  input: { shape: number[]; data: number[] };
  output: Described;
  layers: (Described & { module: string; tensor: string })[];
}

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function readReference(name: string): Reference {
  return JSON.parse(readFileSync(fixturePath(`${name}-reference.json`), 'utf8')) as Reference;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A temp dir for model files, removed by `cleanup`. */
export function createModelDir() {
  const dir = mkdtempSync(join(tmpdir(), 'cnnvis-worker-test-'));
  return {
    /** Writes the bytes as `<sha256>.onnx` and returns the job fields naming it. */
    write(bytes: Uint8Array): { modelPath: string; modelId: string } {
      const modelId = sha256(bytes);
      const modelPath = join(dir, `${modelId}.onnx`);
      writeFileSync(modelPath, bytes);
      return { modelPath, modelId };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The job fields for a committed fixture. */
export function fixtureModel(name: string): { modelPath: string; modelId: string } {
  const modelPath = fixturePath(name);
  return { modelPath, modelId: sha256(readFileSync(modelPath)) };
}
