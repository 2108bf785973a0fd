/**
 * Options of the SDK: how to connect, and the options object of each method. Display options are
 * picked from the protocol's `WindowOpts`, so a misspelt one fails to compile.
 * @module
 */
import { DEFAULT_ENV } from '@cnnvis/protocol';
import type {
  AnalyzeRequest,
  CompareRequest,
  FiltersRequest,
  JobProgress,
  ModelGraphRequest,
  WindowOpts,
} from '@cnnvis/protocol';

/** How a {@link CnnVis} client connects. */
export interface CnnVisOptions {
  /** Server URL. @default 'http://127.0.0.1:8097' */
  url: string;
  /** Env used by calls that name none. @default 'main' */
  env: string;
  /** How long the first call waits for a connection before failing with UNAVAILABLE. @default 10000 */
  connectTimeoutMs: number;
  /** How long a call waits for the server's answer before failing with TIMEOUT. @default 30000 */
  ackTimeoutMs: number;
  /** How long an analysis call waits for its job, queueing included. @default 900000 (15 min) */
  analysisTimeoutMs: number;
  /** The server's access token (its `--token`). @default the `CNNVIS_TOKEN` environment variable */
  token: string | undefined;
}

/** The defaults behind `new CnnVis()`. */
export const CNNVIS_DEFAULTS: Readonly<CnnVisOptions> = {
  url: 'http://127.0.0.1:8097',
  env: DEFAULT_ENV,
  connectTimeoutMs: 10_000,
  ackTimeoutMs: 30_000,
  analysisTimeoutMs: 900_000,
  token: undefined,
};

/** `CNNVIS_TOKEN` where there is a process environment (not in browsers). */
function tokenFromEnvironment(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const token = env?.['CNNVIS_TOKEN'];
  return token === undefined || token === '' ? undefined : token;
}

/**
 * Fill in defaults once, at the boundary; `undefined` fields take the default.
 * @example
 * resolveCnnVisOptions({ env: 'run3' }).url; // 'http://127.0.0.1:8097'
 */
export function resolveCnnVisOptions(opts: Partial<CnnVisOptions> = {}): Readonly<CnnVisOptions> {
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  return { ...CNNVIS_DEFAULTS, token: tokenFromEnvironment(), ...defined };
}

/** Which window a call writes to. */
export interface TargetOptions {
  /** Window id; omit to let the server pick one (it is in the result). */
  win?: string;
  /** Env of the window. @default the client's env */
  env?: string;
}

/** Display options every pane understands. */
export type PaneDisplayOptions = Pick<WindowOpts, 'title' | 'width' | 'height'>;
/** Display options of plots with axes. */
export type AxesDisplayOptions = PaneDisplayOptions &
  Pick<WindowOpts, 'xlabel' | 'ylabel' | 'xtype' | 'ytype' | 'xrange' | 'yrange'>;
/** Display options of plots with named traces. */
export type TracesDisplayOptions = AxesDisplayOptions & Pick<WindowOpts, 'legend' | 'showlegend'>;

/** How a line or scatter call changes an existing window (Visdom's `update`). */
export type TraceUpdate = 'append' | 'replace' | 'remove';

/**
 * Options of `viz.scatter`.
 * @example
 * await viz.scatter({ x: [1, 2], y: [3, 4] }, { win: 'pts', name: 'val', markersize: 4 });
 */
export interface ScatterOptions
  extends TargetOptions,
    TracesDisplayOptions,
    Pick<WindowOpts, 'markersize'> {
  /** Change the window instead of replacing it. Without it the window is created or replaced. */
  update?: TraceUpdate;
  /** Trace name: the trace an update writes to, or the name of the single trace created. */
  name?: string;
}

/**
 * Options of `viz.line`.
 * @example
 * await viz.line({ x: [step], y: [loss] }, { win: 'loss', update: 'append', name: 'train' });
 */
export interface LineOptions extends ScatterOptions {
  /** Draw markers on the points too. @default false */
  markers?: boolean;
}

/**
 * Options of `viz.bar`.
 * @example
 * await viz.bar({ y: [[1, 2], [3, 4]], x: ['a', 'b'] }, { legend: ['p', 'q'], stacked: true });
 */
export interface BarOptions extends TargetOptions, TracesDisplayOptions, Pick<WindowOpts, 'stacked'> {}

/**
 * Options of `viz.histogram`.
 * @example
 * await viz.histogram({ values: weights }, { win: 'w', numbins: 50 });
 */
export interface HistogramOptions extends TargetOptions, AxesDisplayOptions {
  /** Number of bins between the smallest and largest value. @default 30 */
  numbins?: number;
  /** Trace name. @default 'histogram' */
  name?: string;
}

/** The edge a heatmap update grows (`z` of the call is the new block). */
export type HeatmapUpdate = 'appendRow' | 'appendColumn' | 'prependRow' | 'prependColumn';

/**
 * Options of `viz.heatmap`.
 * @example
 * await viz.heatmap({ z: [[1, 2]] }, { win: 'cm', update: 'appendRow' });
 */
export interface HeatmapOptions
  extends TargetOptions,
    AxesDisplayOptions,
    Pick<WindowOpts, 'colormap' | 'zmin' | 'zmax'> {
  /** Grow the heatmap on one edge instead of replacing it. */
  update?: HeatmapUpdate;
}

/**
 * Options of `viz.image`; `caption` goes under the image.
 * @example
 * await viz.image({ data, shape: [3, 32, 32] }, { win: 'input', caption: 'epoch 3' });
 */
export interface ImageOptions extends TargetOptions, PaneDisplayOptions, Pick<WindowOpts, 'caption'> {}

/**
 * Options of `viz.images`.
 * @example
 * await viz.images({ data: batch, shape: [16, 1, 28, 28] }, { win: 'digits', nrow: 4 });
 */
export interface ImagesOptions extends ImageOptions {
  /** Images per row. @default 8 */
  nrow?: number;
  /** Pixels between images and around the grid. @default 2 */
  padding?: number;
}

/**
 * Options of `viz.text`.
 * @example
 * await viz.text('epoch 3 done<br>', { win: 'log', append: true });
 */
export interface TextOptions extends TargetOptions, PaneDisplayOptions {
  /** Add to the end of the pane instead of replacing its text (created when missing). @default false */
  append?: boolean;
}

/** Options of calls that only need an env. */
export interface EnvOptions {
  /** @default the client's env */
  env?: string;
}

/**
 * Options of `viz.updateOpts`: any display option, merged into the window's.
 * @example
 * await viz.updateOpts('loss', { title: 'Loss (log)', ytype: 'log' });
 */
export type UpdateOptsOptions = WindowOpts & EnvOptions;

/** Where a job stands: stage `upload` (`fraction` of the model's bytes sent), then the server's. */
export type AnalysisProgress = Pick<JobProgress, 'stage' | 'fraction' | 'passes'>;

/** Options of every call that takes a model. */
export interface ModelOptions extends EnvOptions {
  /** Called as the upload (skipped when the server has the model) and the job move on. */
  onProgress?: (progress: AnalysisProgress) => void;
}

/** The request fields `viz.featureMaps` takes as options, documented in the protocol. */
export const FEATURE_MAPS_FIELDS = [
  'layers', 'maxChannels', 'maxMapBytes', 'winPrefix', 'win', 'step', 'label', 'preprocess',
  'channelStats',
] as const;

/**
 * Options of `viz.featureMaps`: the request's fields (see the protocol's AnalyzeRequestSchema).
 * The graph window `win` keeps its runs for its slider and `viz.compare`.
 * @example
 * await viz.featureMaps('resnet18.onnx', 'cat.jpg', {
 *   layers: ['Conv', 'Relu'], maxChannels: 16,
 *   preprocess: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
 *   onProgress: (p) => console.log(p.stage, p.fraction),
 * });
 */
export interface FeatureMapsOptions
  extends ModelOptions,
    Pick<AnalyzeRequest, (typeof FEATURE_MAPS_FIELDS)[number] | 'modelName'> {
  /** Class names of a classifier's output: an array, or a file (a JSON array, or one per line). */
  labels?: string[] | string;
}

/**
 * Options of `viz.compare`; `win` is needed only when a run is given by its step.
 * @example
 * await viz.compare(0, 30, { win: 'train' }); // the runs of steps 0 and 30 in window 'train'
 */
export interface CompareOptions extends EnvOptions, Pick<CompareRequest, 'win' | 'topChannels'> {}

/**
 * Options of `viz.modelGraph`.
 * @example
 * await viz.modelGraph('model.onnx', { win: 'arch' });
 */
export interface ModelGraphOptions
  extends ModelOptions,
    Pick<ModelGraphRequest, 'win' | 'modelName'> {}

/**
 * Options of `viz.filters`.
 * @example
 * await viz.filters('model.onnx', 'conv1', { maxFilters: 32 });
 */
export interface FiltersOptions
  extends ModelOptions,
    Pick<FiltersRequest, 'winPrefix' | 'maxFilters' | 'maxInputs' | 'modelName'> {}
