/**
 * `attribution:run` and `POST /api/attributions`: turn a request into a worker attribution job
 * (occlusion, Score-CAM), store its heatmap as two panes (the input with the heatmap over it, and
 * the heatmap's values) and, for a kept run's input, with the run; answer with the numbers.
 * @module
 */
import { AttributionRequestSchema, DEFAULT_ENV, type AttributionRequest, type AttributionResult } from '@cnnvis/protocol';
import { badField, CnnvisError } from '../errors';
import type { RequestContext } from '../request-context';
import type { AnalysisStore, StoredRunInput } from '../store/analysis-store';
import { validate } from '../window-service';
import { attributionImages, attributionTitle, heatmapPlot } from './attribution-panes';
import { toJobInput } from './job-input';
import { jobProgress, type JobServiceDeps } from './job-progress';

/** The overlay's window when the request names none. */
export const DEFAULT_ATTRIBUTION_WIN = 'attribution';

/** What the job runs on: the request's model and input, or a kept run's. */
type Subject = Required<Pick<AttributionRequest, 'modelId' | 'input'>> & Pick<AttributionRequest, 'env' | 'preprocess' | 'labels'>;

export interface AttributionDeps extends JobServiceDeps<'attribute'> {
  /** Kept runs: their model, input and preprocessing, and the heatmaps kept with them. */
  runs: Pick<AnalysisStore, 'getRun' | 'getRunInput' | 'addAttribution'>;
}

export class AttributionService {
  constructor(private readonly deps: AttributionDeps) {}

  /** A kept run's model, input, env and labels; the request's own otherwise. */
  private async subject(req: AttributionRequest): Promise<Subject> {
    if (req.runId === undefined) return req as Subject; // the schema requires both without a run
    const kept = await this.deps.runs.getRun(req.runId);
    if (kept === undefined) throw CnnvisError.notFound(`run '${req.runId}' not found (it may have been replaced or its env deleted)`);
    const input: StoredRunInput | undefined = await this.deps.runs.getRunInput(req.runId);
    if (input === undefined) throw badField('runId', `run '${req.runId}' was stored without its input (before inputs were kept): run featureMaps again`);
    const { preprocess } = kept.run.input ?? {};
    const labels = req.labels ?? kept.run.labels;
    return { modelId: kept.info.modelId, input, env: req.env ?? kept.env, ...(preprocess === undefined ? {} : { preprocess }), ...(labels === undefined ? {} : { labels }) };
  }

  /** Explain the model's prediction on the input; resolves when the panes (and, for a kept run, the heatmap with it) are stored. */
  async run(payload: unknown, ctx: RequestContext): Promise<AttributionResult> {
    const started = performance.now();
    const req = validate(AttributionRequestSchema, payload);
    const subject = await this.subject(req);
    const env = subject.env ?? DEFAULT_ENV;
    const win = req.win ?? DEFAULT_ATTRIBUTION_WIN;
    const heatmapWin = `${win.slice(0, 120)}-heatmap`;
    const model = await this.deps.models.get(subject.modelId);
    if ('encoding' in subject.input) this.deps.windows.checkEncodedImageSize(subject.input.data, 'input');
    const { progress } = jobProgress(this.deps.broadcast, ctx, { jobId: req.jobId, modelId: model.id, env });
    progress('queued', 0);
    const { env: _e, runId, modelId: _m, input: _i, preprocess, labels: _l, win: _w, jobId: _j, ...options } = { ...req, preprocess: subject.preprocess };
    const labels = subject.labels;
    const out = await this.deps.jobs.attribute(
      {
        modelPath: this.deps.models.files.pathOf(model.id), modelId: model.id, input: toJobInput(subject.input),
        ...(preprocess === undefined ? {} : { preprocess }), ...options, provider: this.deps.provider,
      },
      (p) => progress(p.stage, p.fraction, p.passes),
    );
    const pooled = performance.now() - started;
    progress('store', 1);
    const storeStart = performance.now();
    const targetLabel = labels?.[out.target];
    const title = attributionTitle(out, targetLabel);
    const what = out.method === 'occlusion' ? 'occlusion map' : 'Score-CAM map';
    await this.deps.windows.put({ env, win, opts: { title }, content: { kind: 'image', images: attributionImages(out.heatmap, out.shape, out.picture, what), nrow: 3, padding: 2 } });
    await this.deps.windows.put({ env, win: heatmapWin, opts: { title }, content: heatmapPlot(out.heatmap, out.shape) });
    const how = {
      method: out.method, target: out.target, ...(targetLabel === undefined ? {} : { targetLabel }), score: out.score, passes: out.passes, shape: out.shape,
      ...(out.layer === undefined ? {} : { layer: out.layer }),
      ...(out.patch === undefined ? {} : { patch: out.patch, stride: out.stride, fill: out.fill }),
    };
    if (runId !== undefined) await this.deps.runs.addAttribution(runId, { ...how, heatmap: out.heatmap });
    progress('done', 1);
    const worked = out.timings.sessionMs + out.timings.runMs;
    return {
      ...(runId === undefined ? {} : { runId }), modelId: model.id, env, win, heatmapWin, ...how,
      runs: out.runs, batch: out.batch, heatmap: Array.from(out.heatmap),
      ...(out.weights === undefined ? {} : { weights: Array.from(out.weights) }),
      ...(out.scores === undefined ? {} : { scores: Array.from(out.scores) }),
      provider: out.provider,
      timings: { queueMs: Math.max(0, pooled - worked), ...out.timings, storeMs: performance.now() - storeStart, totalMs: performance.now() - started },
    };
  }
}
