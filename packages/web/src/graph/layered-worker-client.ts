/**
 * The page's side of the layered-layout worker: one worker for every graph
 * pane, started on first use. Where no worker can start (or it dies), the
 * geometry runs on this thread instead, so a graph is always drawn.
 * @module
 */
import { layeredGeometry, type LayeredGeometry, type LayeredInput } from './layered-layout';
import type { LayeredReply, LayeredRequest } from './layered-worker';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (g: LayeredGeometry) => void; reject: (err: Error) => void }>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker?.terminate();
  worker = undefined;
}

function start(): Worker {
  const w = new Worker(new URL('./layered-worker.ts', import.meta.url), { type: 'module', name: 'cnnvis-layered' });
  w.onmessage = ({ data }: MessageEvent<LayeredReply>) => {
    const p = pending.get(data.id);
    pending.delete(data.id);
    if ('geometry' in data) p?.resolve(data.geometry);
    else p?.reject(new Error(data.error));
  };
  w.onerror = (e) => failAll(new Error(`the layout worker failed: ${e.message}`));
  return w;
}

/**
 * The geometry, computed in the worker.
 * @example const geo = await layeredGeometryOffThread(layeredInput(vis, measureText).input);
 */
export async function layeredGeometryOffThread(input: LayeredInput): Promise<LayeredGeometry> {
  try {
    worker ??= start();
  } catch {
    return layeredGeometry(input);
  }
  const w = worker;
  const id = nextId++;
  try {
    return await new Promise<LayeredGeometry>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, input } satisfies LayeredRequest);
    });
  } catch (err) {
    // A worker that broke (not a layout that threw in it) costs this thread the work, not the drawing.
    if (worker === w) throw err;
    return layeredGeometry(input);
  }
}
