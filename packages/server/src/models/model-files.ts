/**
 * Where uploaded models live on disk: `<dataDir>/models/<sha256>.onnx`, one file per distinct
 * model. Workers open them by path, so a model's bytes are never copied through the server's
 * memory.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ModelFiles {
  readonly dir: string;
  /** The final path of model `id` (a SHA-256 hex, validated by the caller). */
  pathOf(id: string): string;
  exists(id: string): boolean;
  /** A fresh path in the same folder for an upload in progress (same file system, so rename is atomic). */
  tempPath(): string;
  /** Remove the folder if it was a temporary one. */
  dispose(): void;
}

export function createModelFiles(dataDir: string): ModelFiles {
  const temporary = dataDir === ':memory:';
  const dir = temporary ? mkdtempSync(join(tmpdir(), 'cnnvis-models-')) : join(dataDir, 'models');
  mkdirSync(dir, { recursive: true });
  // Uploads cut off by a crash leave temp files behind; they are never read, so clear them.
  if (!temporary) rmStaleUploads(dir);
  return {
    dir,
    pathOf: (id) => join(dir, `${id}.onnx`),
    exists: (id) => existsSync(join(dir, `${id}.onnx`)),
    tempPath: () => join(dir, `.upload-${randomBytes(8).toString('hex')}.tmp`),
    dispose: () => {
      if (temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function rmStaleUploads(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.upload-')) rmSync(join(dir, name), { force: true });
  }
}
