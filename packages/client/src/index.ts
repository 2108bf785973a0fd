/**
 * `@cnnvis/client`: the typed SDK that pushes plots, images and CNN analyses to a cnnvis server.
 * @example
 * import { CnnVis } from '@cnnvis/client';
 * const viz = new CnnVis({ url: 'http://127.0.0.1:8097', env: 'main' });
 * await viz.line({ x: [0], y: [1.2] }, { win: 'loss', update: 'append', name: 'train', title: 'Loss' });
 * await viz.disconnect();
 * @module
 */
export { CnnVis, type RemoveTraceOptions } from './cnnvis';
export { CnnvisClientError, isCnnvisClientError, type CnnvisClientErrorInit } from './client-error';
export { CNNVIS_DEFAULTS } from './options';
export { formatFeatureMaps, type FeatureMapsInput } from './feature-maps';
export type { ModelSource } from './model-upload';
export type { AttributionOptions, RunAttributionOptions } from './attribution-request';
export type { DatasetFolder, DatasetOptions } from './dataset-request';
export type {
  AnalysisProgress,
  AxesDisplayOptions,
  BarOptions,
  CnnVisOptions,
  CompareOptions,
  EnvOptions,
  FeatureMapsOptions,
  FiltersOptions,
  HeatmapOptions,
  HeatmapUpdate,
  HistogramOptions,
  ImageOptions,
  ImagesOptions,
  LineOptions,
  ModelGraphOptions,
  ModelOptions,
  PaneDisplayOptions,
  ScatterOptions,
  TextOptions,
  TraceUpdate,
  TracesDisplayOptions,
  UpdateOptsOptions,
} from './options';
export type { LineData } from './trace-requests';
export type { BarData, HeatmapData, HistogramData } from './plot-requests';
export type { EncodedImage, ImageShape, ImageSource, PixelArray, RawImage } from './image-convert';
export type { BatchShape, ImageBatch } from './image-grid';
export type { Labels, Numbers } from './request-common';
export type {
  AnalysisRun,
  AttributionResult,
  DatasetLayerStats,
  DatasetResult,
  ChannelChange,
  CompareResult,
  Content,
  EnvSummary,
  ErrorCode,
  FeatureMapMeta,
  FeatureMapsResult,
  FilterMeta,
  FiltersResult,
  GraphContent,
  ImageContent,
  ImageRef,
  Issue,
  JobProgress,
  LayerCompare,
  LayerFilters,
  LayerGraph,
  LayerNode,
  LayerResult,
  ModelId,
  Preprocess,
  PlotContent,
  RunDetail,
  RunInfo,
  RunRef,
  ServerHello,
  TensorStats,
  TextContent,
  Trace,
  UnmatchedLayer,
  Window,
  WindowAck,
  WindowOpts,
} from '@cnnvis/protocol';
