/**
 * `dataset:run`: per-layer, per-channel statistics of a model over many
 * inputs, computed by a worker a batch at a time, stored as two panes (a
 * table listing dead and saturated channels, and each layer's dead fraction)
 * and answered with every channel's numbers and top-k inputs. Progress, with
 * the inputs done of those given, goes out as `job:progress`.
 * @module
 */
import { DatasetRequestSchema, DEFAULT_ENV, type DatasetResult } from '@cnnvis/protocol';
import { jpegSize, pngSize } from '../images/image-header';
import type { RequestContext } from '../request-context';
import { validate } from '../window-service';
import { datasetTable, deadPlot, layerStats } from './dataset-panes';
import { datasetInputs } from './dataset-inputs';
import { jobProgress, type JobServiceDeps } from './job-progress';

/** The table's window when the request names none. */
export const DEFAULT_DATASET_WIN = 'dataset';

export class DatasetService {
  constructor(private readonly deps: JobServiceDeps<'dataset'>) {}

  async run(payload: unknown, ctx: RequestContext): Promise<DatasetResult> {
    const started = performance.now();
    const req = validate(DatasetRequestSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const win = req.win ?? DEFAULT_DATASET_WIN;
    const deadWin = `${win.slice(0, 120)}-dead`;
    const model = this.deps.models.get(req.modelId);
    const inputs = datasetInputs(req.inputs);
    inputs.forEach((input, i) => {
      const size = 'encoded' in input ? (pngSize(input.encoded) ?? jpegSize(input.encoded)) : undefined;
      if (size !== undefined) this.deps.windows.checkImageSize(size, `inputs[${i}]`);
    });
    const { progress } = jobProgress(this.deps.broadcast, ctx, { jobId: req.jobId, modelId: model.id, env });
    progress('queued', 0);
    const { env: _e, modelId: _m, inputs: _i, win: _w, jobId: _j, ...options } = req;
    const out = await this.deps.jobs.dataset(
      { modelPath: this.deps.models.files.pathOf(model.id), modelId: model.id, inputs, ...options, provider: this.deps.provider },
      (p) => progress(p.stage, p.fraction, p.passes),
    );
    const pooled = performance.now() - started;
    progress('store', 1);
    const layers = out.layers.map((l) => layerStats(l, out.topK));
    const title = `${model.graph.producer || 'model'} over ${out.inputs} inputs`;
    this.deps.windows.put({ env, win, opts: { title }, content: { kind: 'text', text: datasetTable(layers, out.inputs) } });
    this.deps.windows.put({ env, win: deadWin, opts: { title: `dead channels · ${title}` }, content: deadPlot(layers) });
    progress('done', 1);
    const worked = out.timings.sessionMs + out.timings.runMs + out.timings.statsMs;
    return {
      modelId: model.id, env, win, deadWin, inputs: out.inputs, batch: out.batch, runs: out.runs, provider: out.provider,
      timings: { queueMs: Math.max(0, pooled - worked), ...out.timings, totalMs: performance.now() - started },
      layers,
    };
  }
}
