/**
 * The one interface persistence sits behind. SQLite is the default (and, with
 * ':memory:', the throwaway store for tests); PostgreSQL serves several servers.
 * @module
 */
import type {
  EnvSummary,
  LayoutItem,
  NetworkContent,
  PlotContent,
  PropertiesContent,
  TextContent,
  UpdateOp,
  Window,
  WindowOpts,
} from '@cnnvis/protocol';
import type { StoredGraphContent } from './analysis-store';

/** An image as stored: raw 8-bit CHW/HW pixels, or PNG/JPEG bytes as received. */
export interface StoredImage {
  encoding: 'raw' | 'png' | 'jpeg';
  width: number;
  height: number;
  /** 1, 3 or 4 for raw images; 0 when the encoded file says. */
  channels: number;
  data: Uint8Array;
  caption?: string;
}

/** Window content as handed to the store: images already decoded to {@link StoredImage}. */
export type StoreContent =
  | PlotContent
  | TextContent
  | PropertiesContent
  | NetworkContent
  | { kind: 'image'; images: StoredImage[]; nrow: number; padding: number; selected?: number }
  | StoredGraphContent;

/**
 * What a writer may need to know of a window before changing it, read without its content.
 * A store may hand the same object out again until the window changes: read it, never change it.
 */
export interface WindowSummary {
  readonly kind: Window['kind'];
  readonly opts: Readonly<WindowOpts>;
  /** Plot windows: how many traces; 0 for other kinds. */
  readonly traces: number;
  /** Plot windows: the trace names, in order; empty for other kinds. */
  readonly names: readonly string[];
  /** Plot windows: the first trace's plotly type (Visdom takes updates only on some). */
  readonly firstType?: string;
}

export interface CreateWindowInput {
  env: string;
  win: string;
  content: StoreContent;
  opts: WindowOpts;
}

/** The sizes a store refuses to grow past (see the server's --max-* flags). */
export interface StoreLimits {
  /** Points one plot trace may hold (cells, for a heatmap). @default 10 million */
  maxPointsPerTrace: number;
  /** Windows one env may hold. @default 10000 */
  maxWindowsPerEnv: number;
  /** Runs one graph window keeps; the oldest go first. @default 64 */
  maxRunsPerWindow: number;
}

/** What an applied update reports: the new rev and the op with trace indexes resolved to names. */
export interface AppliedUpdate {
  rev: number;
  op: UpdateOp;
}

/**
 * Every method answers with a promise; a write's settles once the write is committed, so an
 * acknowledgement that awaits it promises a committed change. A write that throws changes nothing.
 */
export interface WindowStore {
  listEnvs(): Promise<EnvSummary[]>;
  hasEnv(env: string): Promise<boolean>;
  /** Create an empty env; false when it already exists. */
  createEnv(env: string): Promise<boolean>;
  /** Whether the window exists, without reading its content. */
  hasWindow(env: string, win: string): Promise<boolean>;
  /** A window's kind, opts and trace count, without reading its points; undefined when it does not exist. */
  windowSummary(env: string, win: string): Promise<WindowSummary | undefined>;
  getEnv(env: string): Promise<EnvSummary | undefined>;
  /**
   * Create or replace a window; a replaced window keeps its position and layout.
   * With `ifAbsent`, an existing window is left alone and the answer is undefined.
   */
  createWindow(input: CreateWindowInput): Promise<Window>;
  createWindow(input: CreateWindowInput, ifAbsent: true): Promise<Window | undefined>;
  /** Undefined when the window does not exist. Throws CnnvisError BAD_REQUEST (and limits' codes); changes nothing when it throws. */
  updateWindow(env: string, win: string, op: UpdateOp): Promise<AppliedUpdate | undefined>;
  getWindow(env: string, win: string): Promise<Window | undefined>;
  /** Every window of an env in order; undefined when the env does not exist. */
  listWindows(env: string): Promise<Window[] | undefined>;
  closeWindow(env: string, win: string): Promise<boolean>;
  /** Throws NOT_FOUND when `from` is missing, CONFLICT when `to` exists. */
  forkEnv(from: string, to: string): Promise<EnvSummary>;
  deleteEnv(env: string): Promise<boolean>;
  /** Stores positions of the panes named; unknown windows are ignored. Throws NOT_FOUND for an unknown env. */
  saveLayout(env: string, items: readonly LayoutItem[]): Promise<void>;
  getImage(env: string, win: string, index: number): Promise<StoredImage | undefined>;
  /** Commit what is pending and release the store. */
  close(): Promise<void>;
}
