/**
 * socket.io event maps. Names are `entity:verb`; every client event takes one
 * payload and an ack that receives an {@link Envelope}.
 * @module
 */
import type { AnalyzeRequest, FeatureMapsResult, JobProgress, ModelGraphRequest } from './analysis';
import type { AttributionRequest, AttributionResult } from './attribution';
import type { DatasetRequest, DatasetResult } from './dataset';
import type { Envelope } from './envelope';
import type { FiltersRequest, FiltersResult } from './filters';
import type { CompareRequest, CompareResult } from './runs';
import type {
  EnvForkRequest,
  EnvTarget,
  LayoutItem,
  LayoutSaveRequest,
  WindowAck,
  WindowCreateRequest,
  WindowTarget,
  WindowUpdateRequest,
} from './requests';
import type { UiEventRequest } from './ui-events';
import type { UpdateOp } from './update-ops';
import type { EnvSummary, ServerHello, Window } from './window';

type Ack<T> = (res: Envelope<T>) => void;

/**
 * A socket's handshake `auth`. The SDK names itself: it hears progress only of jobs it named,
 * and its closes are not a UI's.
 */
export interface SocketAuth {
  client?: 'sdk';
}

/** A subscription's starting point: every window of the env, in order. */
export interface EnvSnapshot {
  env: string;
  windows: Window[];
}

/** Events a client (SDK or browser) sends. */
export interface ClientToServerEvents {
  'window:create': (req: WindowCreateRequest, ack: Ack<WindowAck>) => void;
  'window:update': (req: WindowUpdateRequest, ack: Ack<WindowAck>) => void;
  'window:close': (req: WindowTarget, ack: Ack<{ env: string; win: string }>) => void;
  'window:get': (req: WindowTarget, ack: Ack<Window>) => void;
  'env:list': (req: Record<string, never>, ack: Ack<EnvSummary[]>) => void;
  'env:fork': (req: EnvForkRequest, ack: Ack<EnvSummary>) => void;
  'env:delete': (req: EnvTarget, ack: Ack<{ env: string }>) => void;
  /** Join the env's live room (leaving any other) and get its snapshot. */
  'env:subscribe': (req: EnvTarget, ack: Ack<EnvSnapshot>) => void;
  'layout:save': (req: LayoutSaveRequest, ack: Ack<{ env: string }>) => void;
  /** Run an uploaded model on an input; the ack comes when the run is stored. */
  'analysis:run': (req: AnalyzeRequest, ack: Ack<FeatureMapsResult>) => void;
  /** Explain an uploaded model's prediction on an input (occlusion, Score-CAM); the ack comes when the panes are stored. */
  'attribution:run': (req: AttributionRequest, ack: Ack<AttributionResult>) => void;
  /** Per-layer, per-channel statistics of an uploaded model over many inputs; the ack comes when its panes are stored. */
  'dataset:run': (req: DatasetRequest, ack: Ack<DatasetResult>) => void;
  /** Show an uploaded model's layer graph in a 'graph' window. */
  'model:graph': (req: ModelGraphRequest, ack: Ack<WindowAck>) => void;
  /** Show an uploaded model's conv filters (read from the model file; nothing runs) as image grids and histograms. */
  'model:filters': (req: FiltersRequest, ack: Ack<FiltersResult>) => void;
  /** Compare two kept runs layer by layer (`GET /api/runs/:a/compare/:b` over HTTP). */
  'run:compare': (req: CompareRequest, ack: Ack<CompareResult>) => void;
  /** A viewer's action on a pane (property edit, key press, image click), forwarded to listening clients. */
  'ui:event': (req: UiEventRequest, ack: Ack<{ delivered: number }>) => void;
}

/** A change to one window, as small as the change: an append carries only new points. */
export interface WindowDelta {
  env: string;
  win: string;
  rev: number;
  /** Index selectors are already resolved to trace names. */
  op: UpdateOp;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  'server:hello': (hello: ServerHello) => void;
  /** A window was created or replaced; it comes whole. */
  'window:created': (win: Window) => void;
  'window:updated': (delta: WindowDelta) => void;
  'window:closed': (ref: { env: string; win: string }) => void;
  'layout:saved': (layout: { env: string; items: LayoutItem[] }) => void;
  'env:deleted': (ref: { env: string }) => void;
  /** The list of envs changed (created, forked or deleted); sent to every socket. */
  'envs:changed': (envs: EnvSummary[]) => void;
  /** An analysis job moved on; sent to the socket that asked and to the env's room. */
  'job:progress': (progress: JobProgress) => void;
  /**
   * This socket fell too far behind and left the env's live room: re-subscribe for a fresh
   * snapshot. It comes after every delta sent, and none follow until it subscribes again.
   */
  'env:resync': (ref: EnvResync) => void;
}

/** Why a subscriber must take a fresh snapshot of `env`. */
export interface EnvResync {
  env: string;
  /** For logs, e.g. `more than 16777216 bytes of updates were waiting` */
  reason: string;
}
