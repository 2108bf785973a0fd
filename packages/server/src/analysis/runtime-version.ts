/**
 * The version of ONNX Runtime the worker runs, for `GET /api/status`, read
 * from the package the worker resolves, without loading the native runtime
 * into the server's process.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * @example
 * onnxRuntimeVersion(); // '1.30.0'
 */
export function onnxRuntimeVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const fromWorker = createRequire(require.resolve('@cnnvis/worker/package.json'));
    const pkg = JSON.parse(readFileSync(fromWorker.resolve('onnxruntime-node/package.json'), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
