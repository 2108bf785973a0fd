/**
 * The one way the UI talks to the server: a live socket client and a static read-only one.
 * Rendering code never imports these; it reads the store.
 * @module
 */
import type {
  AnalyzeRequest,
  ErrorBody,
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
  /**
   * Called with `connected` on every (re)connect: the moment to resync, unless `recovered`
   * (the server restored this connection's rooms and replayed the updates it missed).
   */
  connection(state: ConnectionState, recovered?: boolean): void;
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

/** The UI's HTTP reads: a failed answer as a ClientRequestError: its `{ error }` body, else its status (`url` names the request). */
export async function responseError(res: Response, url: string): Promise<ClientRequestError> {
  const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
  return new ClientRequestError(body?.error?.code ?? (res.status === 404 ? 'NOT_FOUND' : 'INTERNAL'), body?.error?.message ?? `${url}: HTTP ${res.status}`);
}

/** @example const run = await getJson<RunDetail>(toUrl('/api/runs/run_ab12')); */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw await responseError(res, url);
  return (await res.json()) as T;
}
