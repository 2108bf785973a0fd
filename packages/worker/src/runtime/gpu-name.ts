/**
 * The name of the GPU CUDA runs on, for `GET /api/status`: ONNX Runtime's Node binding does not
 * expose device properties, so the driver's own tool is asked once; null without one.
 * @module
 */
import { execFile } from 'node:child_process';

let cached: Promise<string | null> | undefined;

/**
 * The GPU's name from nvidia-smi (ORT's binding exposes none), asked once; null without one.
 * @example
 * await gpuName(); // 'NVIDIA H100 80GB HBM3', or null
 */
export function gpuName(): Promise<string | null> {
  cached ??= new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 5000 }, (err, stdout) => {
      resolve(err ? null : (stdout.split('\n')[0]?.trim() || null));
    });
  });
  return cached;
}
