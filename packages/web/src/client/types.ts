/**
 * The types every client implementation shares.
 * @module
 */
import type {
  AnalyzeRequest,
  EnvSnapshot,
  EnvSummary,
  FeatureMapsResult,
  LayoutItem,
  ServerToClientEvents,
  UiEventRequest,
} from '@cnnvis/protocol';

/** How the UI is connected right now; shown by the connection badge. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'static';

/** What the client reports: every server event, plus connection changes. */
export type ClientListener = Partial<ServerToClientEvents> & {
  /** Called with `connected` on every (re)connect: the moment to resync. */
  connection(state: ConnectionState): void;
};

/** Requests the UI makes. Each resolves with the ack's data or rejects with {@link ClientRequestError}. */
export interface CnnvisClient {
  listEnvs(): Promise<EnvSummary[]>;
  /** Join the env's live room (leaving others) and get all its windows. */
  subscribe(env: string): Promise<EnvSnapshot>;
  closeWindow(env: string, win: string): Promise<void>;
  saveLayout(env: string, items: LayoutItem[]): Promise<void>;
  /** Run an uploaded model on an input; resolves when the run is stored (its graph window arrives as usual). */
  runAnalysis(req: AnalyzeRequest): Promise<FeatureMapsResult>;
  /** Tell the server about a viewer's action on a pane (Visdom's PropertyUpdate, KeyPress, Click). */
  uiEvent(req: UiEventRequest): Promise<void>;
  /** Stop talking to the server. */
  dispose(): void;
}

export interface ClientOptions {
  /** Where the UI is mounted, ending in `/` (see `resolveBasePath`). */
  basePath: string;
  /** Read once over HTTP instead of subscribing live. @default false */
  static: boolean;
  listener: ClientListener;
}

/** A failed request, with the server's error code when it sent one. */
export class ClientRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ClientRequestError';
  }
}
