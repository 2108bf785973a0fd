/**
 * Running ELK in a Web Worker, so a big layout never freezes the page. The
 * worker script is elkjs's own GWT build, shipped as a static asset; one
 * worker serves every graph pane, and layouts queue inside it.
 * @module
 */
import ELK, { type ELK as ElkApi, type ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

let shared: ElkApi | undefined;

function elk(): ElkApi {
  // A classic worker: the script sets `self.onmessage` itself.
  shared ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl, { name: 'cnnvis-elk' }) });
  return shared;
}

export interface LayoutRun {
  result: ElkNode;
  /** Wall time of the layout as the page sees it (worker round trip included). */
  ms: number;
}

/**
 * Lay out `input` in the worker.
 * @example const { result, ms } = await runLayout(buildLayoutInput(vis, measure));
 */
export async function runLayout(input: ElkNode): Promise<LayoutRun> {
  const started = performance.now();
  const result = await elk().layout(input);
  return { result, ms: performance.now() - started };
}

/** Stop the worker (a later layout starts a new one). */
export function stopLayoutWorker(): void {
  shared?.terminateWorker();
  shared = undefined;
}
