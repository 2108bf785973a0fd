/**
 * The messages between the pool (parent) and a worker child process,
 * discriminated by `type`. They travel over Node's IPC channel with
 * 'advanced' serialization, so typed arrays arrive as typed arrays.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';
import type { AnalyzeJob, AnalyzeProgress } from '../analyze/analyze-types';
import type { WorkerErrorBody } from '../worker-error';
import type { WireOutput } from './wire-output';

/** Parent → child: run an analysis, or read an uploaded model's file into its layer graph (nothing runs). */
export type ParentMessage = { type: 'run'; id: number; job: AnalyzeJob } | { type: 'parse'; id: number; modelPath: string; modelId: string };

/** Child → parent. */
export type ChildMessage =
  /** Sent once at start; `available` lists the execution providers a session could be created with. */
  | { type: 'ready'; available: string[] }
  | ({ type: 'progress'; id: number } & AnalyzeProgress)
  | { type: 'result'; id: number; output: WireOutput }
  | { type: 'parsed'; id: number; graph: LayerGraph }
  | { type: 'error'; id: number; error: WorkerErrorBody };
