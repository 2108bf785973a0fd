/**
 * The version of ONNX Runtime the worker runs, for `GET /api/status`, read
 * from the package the worker resolves, without loading the native runtime
 * into the server's process.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** Where onnxruntime-node, as the worker resolves it, is installed; undefined when it cannot be found. */
function onnxRuntimeDir(): string | undefined {
  try {
    const fromWorker = createRequire(require.resolve('@cnnvis/worker/package.json'));
    return dirname(fromWorker.resolve('onnxruntime-node/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * The providers installed, judged from the files on disk (the CUDA provider
 * library next to the binding), so that a status request does not have to
 * start a worker process. Whether CUDA then really runs is what `lastUsed` says.
 * @example
 * installedProviders(); // ['cpu'] on a machine installed without CUDA
 */
export function installedProviders(): string[] {
  const dir = onnxRuntimeDir();
  const lib = dir && join(dir, 'bin', 'napi-v6', `${process.platform}`, process.arch, 'libonnxruntime_providers_cuda.so');
  return lib && existsSync(lib) ? ['cuda', 'cpu'] : ['cpu'];
}

/**
 * @example
 * onnxRuntimeVersion(); // '1.30.0'
 */
export function onnxRuntimeVersion(): string {
  if (cached !== undefined) return cached;
  const dir = onnxRuntimeDir();
  try {
    const pkg = JSON.parse(readFileSync(join(dir ?? '', 'package.json'), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
