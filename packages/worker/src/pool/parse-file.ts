/**
 * An uploaded model's check, as a worker child runs it: the file read and
 * parsed into its layer graph. It runs in the child so that a model's bytes
 * (as large as `--max-model-size`) are held there, under the pool's memory
 * limit, and never in the server's process.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { LayerGraph } from '@cnnvis/protocol';
import { parseModel } from '../onnx/parse-model';
import { ModelError, WorkerError } from '../worker-error';

/**
 * Throws what {@link parseModel} throws for a bad model; BAD_MODEL for a file
 * past the 2 GiB a protobuf can hold; INTERNAL when the file cannot be read.
 * @example
 * const graph = parseModelFile('/data/models/.upload-1a2b.tmp', sha256hex);
 */
export function parseModelFile(modelPath: string, modelId: string): LayerGraph {
  let bytes: Buffer;
  try {
    bytes = readFileSync(modelPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_FS_FILE_TOO_LARGE') {
      throw new ModelError('BAD_MODEL', 'the model is 2 GiB or more, larger than one ONNX protobuf can hold', { cause: err });
    }
    throw new WorkerError('INTERNAL', `cannot read the model file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseModel(bytes, modelId);
}
