/**
 * The loop a worker child process runs: announce readiness, then answer each
 * `run` message with progress and one result or error, each `parse` message
 * with the model's graph, each `filters` message with the conv filters
 * read from its weights, each `attribute` message with progress and a
 * heatmap, and each `dataset` message with progress and per-channel totals
 * (or an error). The parent sends one job at a
 * time; the child exits when the parent goes away.
 * @module
 */
import { readFilters, readWeightDiffs } from '../analyze/analyze-model';
import { attributeModel } from '../attribution/attribute-model';
import { datasetStats } from '../dataset/dataset-stats';
import type { AnalyzeJob, AnalyzeOutput, AnalyzeProgress } from '../analyze/analyze-types';
import { toWorkerErrorBody } from '../worker-error';
import type { ChildMessage, ParentMessage } from './child-messages';
import { parseModelFile } from './parse-file';
import { createSentGraphs, packOutput } from './wire-output';

export type JobHandler = (job: AnalyzeJob, onProgress: (p: AnalyzeProgress) => void) => Promise<AnalyzeOutput>;

/**
 * Serves jobs over the IPC channel with `handle`; uploads' `parse` jobs with {@link parseModelFile},
 * `filters` jobs with {@link readFilters} (which shares the runs' cache of decoded models).
 * @example
 * runChild(analyzeModel, () => probeProviders());
 */
export function runChild(handle: JobHandler, available: () => Promise<string[]>): void {
  const send = (m: ChildMessage) => process.send?.(m);
  if (!process.send) throw new Error('runChild must run in a process forked with an IPC channel');
  process.on('disconnect', () => process.exit(0));
  // Graphs this child sent, as the pool's slot keeps them: a run with the same one sends none.
  const sent = createSentGraphs();
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'parse') {
      try {
        send({ type: 'parsed', id: m.id, graph: parseModelFile(m.modelPath, m.modelId) });
      } catch (err) {
        send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) });
      }
      // The model's bytes (up to --max-model-size) are garbage now, but an idle
      // child runs no GC: it would hold them until its next job. (The pool passes --expose-gc.)
      globalThis.gc?.();
      return;
    }
    if (m.type === 'filters') {
      readFilters(m.job).then(
        (filters) => send({ type: 'filters', id: m.id, filters }),
        (err: unknown) => send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) }),
      );
      return;
    }
    if (m.type === 'weightDiff') {
      readWeightDiffs(m.job).then(
        (diffs) => send({ type: 'weightDiff', id: m.id, diffs }),
        (err: unknown) => send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) }),
      );
      return;
    }
    if (m.type === 'attribute') {
      attributeModel(m.job, (p) => send({ type: 'progress', id: m.id, ...p })).then(
        (output) => send({ type: 'attributed', id: m.id, output }),
        (err: unknown) => send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) }),
      );
      return;
    }
    if (m.type === 'dataset') {
      datasetStats(m.job, (p) => send({ type: 'progress', id: m.id, ...p })).then(
        (output) => send({ type: 'datasetStats', id: m.id, output }),
        (err: unknown) => send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) }),
      );
      return;
    }
    if (m.type !== 'run') return;
    handle(m.job, (p) => send({ type: 'progress', id: m.id, ...p })).then(
      (output) => {
        const same = sent.get(m.job.modelId) === output.graph;
        sent.set(m.job.modelId, output.graph);
        send({ type: 'result', id: m.id, output: packOutput(output, same) });
      },
      (err: unknown) => send({ type: 'error', id: m.id, error: toWorkerErrorBody(err) }),
    );
  });
  void available().then(
    (list) => send({ type: 'ready', available: list }),
    () => send({ type: 'ready', available: ['cpu'] }),
  );
}
