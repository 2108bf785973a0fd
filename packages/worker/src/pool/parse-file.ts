/**
 * An uploaded model read and parsed in a worker child, so its bytes stay under the pool's
 * memory limit and out of the server's process.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { LayerGraph } from '@cnnvis/protocol';
import { parseModel } from '../onnx/parse-model';
import { ModelError, WorkerError } from '../worker-error';

/** Throws as {@link parseModel} does; BAD_MODEL past 2 GiB, INTERNAL for an unreadable file. */
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
