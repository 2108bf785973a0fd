/**
 * The loop a worker child runs: announce readiness, then answer each job the
 * pool sends (one at a time) with progress and one result or error. The child
 * exits when the parent goes away.
 * @module
 */
import { readFilters, readWeightDiffs } from '../analyze/analyze-model';
import { attributeModel } from '../attribution/attribute-model';
import { datasetStats } from '../dataset/dataset-stats';
import type { AnalyzeJob, AnalyzeOutput, AnalyzeProgress } from '../analyze/analyze-types';
import type { AttributionProgress } from '../attribution/attribution-types';
import type { DatasetProgress } from '../dataset/dataset-types';
import { toWorkerErrorBody } from '../worker-error';
import type { ChildMessage, ParentMessage } from './child-messages';
import { parseModelFile } from './parse-file';
import { createSentGraphs, packOutput } from './wire-output';

export type JobHandler = (job: AnalyzeJob, onProgress: (p: AnalyzeProgress) => void) => Promise<AnalyzeOutput>;

/**
 * Serves jobs over the IPC channel, `run` jobs with `handle` (tests swap in a misbehaving one).
 * @example
 * runChild(analyzeModel, () => probeProviders());
 */
export function runChild(handle: JobHandler, available: () => Promise<string[]>): void {
  const send = (m: ChildMessage) => process.send?.(m);
  if (!process.send) throw new Error('runChild must run in a process forked with an IPC channel');
  process.on('disconnect', () => process.exit(0));
  // Graphs this child sent, as the pool's slot keeps them: a run with the same one sends none.
  const sent = createSentGraphs();

  async function answer(m: ParentMessage): Promise<ChildMessage> {
    const { id } = m;
    const progress = (p: AnalyzeProgress | AttributionProgress | DatasetProgress) => {
      send({ type: 'progress', id, ...p });
    };
    switch (m.type) {
      case 'parse':
        return { type: 'parsed', id, graph: parseModelFile(m.modelPath, m.modelId) };
      case 'filters':
        return { type: 'filters', id, filters: await readFilters(m.job) };
      case 'weightDiff':
        return { type: 'weightDiff', id, diffs: await readWeightDiffs(m.job) };
      case 'attribute':
        return { type: 'attributed', id, output: await attributeModel(m.job, progress) };
      case 'dataset':
        return { type: 'datasetStats', id, output: await datasetStats(m.job, progress) };
      case 'run': {
        const output = await handle(m.job, progress);
        const same = sent.get(m.job.modelId) === output.graph;
        sent.set(m.job.modelId, output.graph);
        return { type: 'result', id, output: packOutput(output, same) };
      }
    }
  }

  process.on('message', (m: ParentMessage) => {
    const fail = (err: unknown) => send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) });
    answer(m).then(send, fail);
    // An uploaded model's bytes are garbage once parsed, but an idle child runs no GC
    // (the pool passes --expose-gc).
    if (m.type === 'parse') globalThis.gc?.();
  });
  void available().then(
    (list) => send({ type: 'ready', available: list }),
    () => send({ type: 'ready', available: ['cpu'] }),
  );
}
