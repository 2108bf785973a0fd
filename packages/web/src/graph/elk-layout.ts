/**
 * Running ELK in a Web Worker, so a big layout never freezes the page. The
 * worker script is elkjs's own GWT build, shipped as a static asset; one
 * worker serves every graph pane, and layouts queue inside it.
 * @module
 */
import ELK, { type ELK as ElkApi, type ElkNode } from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

let shared: ElkApi | undefined;

/**
 * Lay out `input` in the worker.
 * @example const result = await runLayout(buildLayoutInput(vis, measure));
 */
export function runLayout(input: ElkNode): Promise<ElkNode> {
  // A classic worker: the script sets `self.onmessage` itself.
  shared ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl, { name: 'cnnvis-elk' }) });
  return shared.layout(input);
}
