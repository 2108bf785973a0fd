/**
 * A dataset job's inputs, in the job or spooled to a file by the server, read a batch at a time.
 * @module
 */
import { open } from 'node:fs/promises';
import type { AnalyzeInput } from '../analyze/analyze-types';
import { WorkerError } from '../worker-error';

/** Inputs back to back in `file`, `lengths[i]` bytes each: float32 tensors of `shape` when given, else PNG/JPEG files. */
export interface SpooledInputs {
  file: string;
  lengths: number[];
  shape?: number[];
}

export type DatasetInputs = AnalyzeInput[] | SpooledInputs;

/** Reads inputs `[start, start + n)`. */
export interface InputReader {
  count: number;
  read(start: number, n: number): Promise<AnalyzeInput[]>;
}

/**
 * @example
 * const reader = inputReader({ file: '/tmp/inputs', lengths: [256, 256], shape: [1, 1, 8, 8] });
 * await reader.read(0, 2); // two { data, shape: [1, 1, 8, 8] }
 */
export function inputReader(inputs: DatasetInputs): InputReader {
  if (Array.isArray(inputs)) return { count: inputs.length, read: (start, n) => Promise.resolve(inputs.slice(start, start + n)) };
  const { file, lengths, shape } = inputs;
  const offsets = [0];
  for (const len of lengths) offsets.push((offsets.at(-1) ?? 0) + len);
  return {
    count: lengths.length,
    async read(start, n) {
      const fh = await open(file, 'r');
      try {
        const items: AnalyzeInput[] = [];
        for (let i = start; i < start + n; i++) {
          const length = lengths[i] ?? 0;
          // A tensor gets a buffer of its own, so its Float32Array is aligned.
          const bytes = new Uint8Array(length);
          const { bytesRead } = await fh.read(bytes, 0, length, offsets[i]);
          if (bytesRead !== length) throw new WorkerError('BAD_INPUT', `input ${i}: the spooled inputs file ends early`);
          items.push(shape === undefined ? { encoded: bytes } : { data: new Float32Array(bytes.buffer, 0, length / 4), shape });
        }
        return items;
      } finally {
        await fh.close();
      }
    },
  };
}
