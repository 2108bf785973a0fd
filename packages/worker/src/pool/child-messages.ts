/**
 * The messages between the pool and a worker child, over IPC with 'advanced' serialization
 * (typed arrays arrive as typed arrays).
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';
import type { AnalyzeJob, AnalyzeProgress, FilterSet, FiltersJob, WeightDiff, WeightDiffJob } from '../analyze/analyze-types';
import type { AttributionJob, AttributionOutput, AttributionProgress } from '../attribution/attribution-types';
import type { DatasetJob, DatasetOutput, DatasetProgress } from '../dataset/dataset-types';
import type { WorkerErrorBody } from '../worker-error';
import type { WireOutput } from './wire-output';

/** Parent → child: one job. */
export type ParentMessage =
  | { type: 'run'; id: number; job: AnalyzeJob }
  | { type: 'parse'; id: number; modelPath: string; modelId: string }
  | { type: 'filters'; id: number; job: FiltersJob }
  | { type: 'weightDiff'; id: number; job: WeightDiffJob }
  | { type: 'attribute'; id: number; job: AttributionJob }
  | { type: 'dataset'; id: number; job: DatasetJob };

/** Child → parent. */
export type ChildMessage =
  /** Sent once at start; `available` lists the execution providers a session could be created with. */
  | { type: 'ready'; available: string[] }
  | ({ type: 'progress'; id: number } & (AnalyzeProgress | AttributionProgress | DatasetProgress))
  | { type: 'result'; id: number; output: WireOutput }
  | { type: 'parsed'; id: number; graph: LayerGraph }
  | { type: 'filters'; id: number; filters: FilterSet[] }
  | { type: 'weightDiff'; id: number; diffs: WeightDiff[] }
  | { type: 'attributed'; id: number; output: AttributionOutput }
  | { type: 'datasetStats'; id: number; output: DatasetOutput }
  | { type: 'error'; id: number; error: WorkerErrorBody };
