/**
 * `attribution:run` and `POST /api/attributions`: turn a request into a
 * worker attribution job (occlusion, Score-CAM), store its heatmap as two
 * panes (the input with the heatmap over it, and the heatmap's values) and
 * answer with the numbers. Progress, with the planned and done forward
 * passes, goes to the requester and the env's room as `job:progress`.
 * @module
 */
import { AttributionRequestSchema, DEFAULT_ENV, type AttributionResult } from '@cnnvis/protocol';
import { jpegSize, pngSize } from '../images/image-header';
import type { RequestContext } from '../request-context';
import { validate } from '../window-service';
import { attributionImages, attributionTitle, heatmapPlot } from './attribution-panes';
import { toJobInput } from './job-input';
import { jobProgress, type JobServiceDeps } from './job-progress';

/** The overlay's window when the request names none. */
export const DEFAULT_ATTRIBUTION_WIN = 'attribution';

export class AttributionService {
  constructor(private readonly deps: JobServiceDeps<'attribute'>) {}

  /** Explain the model's prediction on the input; resolves when the panes are stored. */
  async run(payload: unknown, ctx: RequestContext): Promise<AttributionResult> {
    const started = performance.now();
    const req = validate(AttributionRequestSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const win = req.win ?? DEFAULT_ATTRIBUTION_WIN;
    const heatmapWin = `${win.slice(0, 120)}-heatmap`;
    const model = this.deps.models.get(req.modelId);
    const size = 'encoding' in req.input ? (pngSize(req.input.data) ?? jpegSize(req.input.data)) : undefined;
    if (size !== undefined) this.deps.windows.checkImageSize(size, 'input');
    const { progress } = jobProgress(this.deps.broadcast, ctx, { jobId: req.jobId, modelId: model.id, env });
    progress('queued', 0);
    const { env: _e, modelId: _m, input: _i, labels, win: _w, jobId: _j, ...options } = req;
    const out = await this.deps.jobs.attribute(
      { modelPath: this.deps.models.files.pathOf(model.id), modelId: model.id, input: toJobInput(req.input), ...options, provider: this.deps.provider },
      (p) => progress(p.stage, p.fraction, p.passes),
    );
    const pooled = performance.now() - started;
    progress('store', 1);
    const storeStart = performance.now();
    const targetLabel = labels?.[out.target];
    const title = attributionTitle(out, targetLabel);
    const what = out.method === 'occlusion' ? 'occlusion map' : 'Score-CAM map';
    this.deps.windows.put({ env, win, opts: { title }, content: { kind: 'image', images: attributionImages(out.heatmap, out.shape, out.picture, what), nrow: 3, padding: 2 } });
    this.deps.windows.put({ env, win: heatmapWin, opts: { title }, content: heatmapPlot(out.heatmap, out.shape) });
    progress('done', 1);
    const worked = out.timings.sessionMs + out.timings.runMs;
    return {
      modelId: model.id, env, win, heatmapWin,
      method: out.method, target: out.target, ...(targetLabel === undefined ? {} : { targetLabel }), score: out.score,
      passes: out.passes, runs: out.runs, batch: out.batch, shape: out.shape, heatmap: Array.from(out.heatmap),
      ...(out.layer === undefined ? {} : { layer: out.layer }),
      ...(out.weights === undefined ? {} : { weights: Array.from(out.weights) }),
      ...(out.scores === undefined ? {} : { scores: Array.from(out.scores) }),
      ...(out.patch === undefined ? {} : { patch: out.patch, stride: out.stride, fill: out.fill }),
      provider: out.provider,
      timings: { queueMs: Math.max(0, pooled - worked), ...out.timings, storeMs: performance.now() - storeStart, totalMs: performance.now() - started },
    };
  }
}
