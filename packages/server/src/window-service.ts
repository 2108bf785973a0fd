/**
 * What the server does, independent of transport: validate, change the store, tell the browsers.
 * Socket handlers and HTTP routes both call this, so the two APIs cannot drift apart.
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_ENV,
  EnvForkRequestSchema,
  EnvIdSchema,
  EnvTargetSchema,
  IMAGE_GRID_DEFAULTS,
  LayoutSaveRequestSchema,
  parsePayload,
  WindowCreateRequestSchema,
  WindowTargetSchema,
  WindowUpdateRequestSchema,
  type EnvSnapshot,
  type EnvSummary,
  type UpdateOp,
  type Window,
  type WindowAck,
  type WindowCreateRequest,
} from '@cnnvis/protocol';
import type { z } from 'zod';
import type { Broadcaster } from './broadcaster';
import { badField, CnnvisError } from './errors';
import { jpegSize, pngSize } from './images/image-header';
import { toStoredImage } from './images/image-input';
import type { CreateWindowInput, StoreContent, StoredImage, WindowStore, WindowSummary } from './store/window-store';

/** Validate `value` or throw BAD_REQUEST naming every bad field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = parsePayload(schema, value);
  if (!r.ok) throw CnnvisError.badRequest(r.issues);
  return r.data;
}

/** Limits checked before the store sees a change (the store checks its own: points, windows). */
export interface WindowServiceLimits {
  /** Largest image, width × height. */
  maxImagePixels: number;
}

export class WindowService {
  constructor(
    private readonly store: WindowStore,
    private readonly broadcast: Broadcaster,
    private readonly limits: WindowServiceLimits,
  ) {}

  async create(payload: unknown): Promise<WindowAck> {
    return this.createValid(validate(WindowCreateRequestSchema, payload)) as Promise<WindowAck>;
  }

  /** With `ifAbsent`, an existing window is left alone and the answer is undefined. */
  private async createValid(req: WindowCreateRequest, ifAbsent?: true): Promise<WindowAck | undefined> {
    const env = req.env ?? DEFAULT_ENV;
    const win = req.win ?? `win_${randomBytes(6).toString('hex')}`;
    let content: StoreContent;
    if (req.content.kind === 'image') {
      const images = req.content.images.map((img, i) => toStoredImage(img, `content.images[${i}]`));
      content = {
        kind: 'image',
        images,
        nrow: req.content.nrow ?? IMAGE_GRID_DEFAULTS.nrow,
        padding: req.content.padding ?? IMAGE_GRID_DEFAULTS.padding,
      };
      if (req.content.selected !== undefined) {
        if (req.content.selected >= images.length) {
          throw badField('content.selected', `is ${req.content.selected} but there are ${images.length} images`);
        }
        content.selected = req.content.selected;
      }
    } else {
      content = req.content;
    }
    return this.put({ env, win, content, opts: req.opts ?? {} }, ifAbsent);
  }

  /**
   * Create or replace a window from content the server made itself (already
   * valid, e.g. an analysis run's graph pane), and tell the browsers.
   */
  put(input: CreateWindowInput): Promise<WindowAck>;
  put(input: CreateWindowInput, ifAbsent: true | undefined): Promise<WindowAck | undefined>;
  async put(input: CreateWindowInput, ifAbsent?: true): Promise<WindowAck | undefined> {
    if (input.content.kind === 'image') input.content.images.forEach((img, i) => this.checkImageSize(img, `content.images[${i}]`));
    const window = ifAbsent ? await this.store.createWindow(input, ifAbsent) : await this.store.createWindow(input);
    if (window === undefined) return undefined;
    this.broadcast.windowCreated(window);
    // A new window first in its env may have made the env: the pickers get the list. Told by the write itself,
    // not by a read before it, which on PostgreSQL would wait for the writes queued ahead and so keep them from batching.
    if (window.rev === 1 && window.position === 0) this.broadcast.envsChanged(await this.store.listEnvs());
    return { env: input.env, win: input.win, rev: window.rev };
  }

  /** Sizes come from raw shapes or PNG/JPEG headers, so a decompression bomb is refused unread (an analysis input too). */
  checkImageSize(img: Pick<StoredImage, 'width' | 'height'>, path: string): void {
    const pixels = img.width * img.height;
    if (pixels <= this.limits.maxImagePixels) return;
    throw new CnnvisError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `${path}: a ${img.width}×${img.height} image has ${pixels.toLocaleString('en-US')} pixels, more than the limit of ${this.limits.maxImagePixels.toLocaleString('en-US')} (raise it with --max-image-pixels)`,
    });
  }

  /** {@link checkImageSize} of a PNG or JPEG file, read from its header; other bytes pass (the worker names them). */
  checkEncodedImageSize(data: Uint8Array, path: string): void {
    const size = pngSize(data) ?? jpegSize(data);
    if (size !== undefined) this.checkImageSize(size, path);
  }

  /**
   * Apply an update op; with `orCreate`, a window that does not exist yet is created from it
   * instead.
   */
  async update(payload: unknown): Promise<WindowAck> {
    const req = validate(WindowUpdateRequestSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const applied = await this.apply(env, req.win, req.op);
    if (applied !== undefined) return applied;
    if (req.orCreate === undefined) throw notFoundWindow(env, req.win);
    const created = await this.createValid({ env, win: req.win, ...req.orCreate }, true);
    if (created !== undefined) return created;
    const then = await this.apply(env, req.win, req.op);
    if (then === undefined) throw notFoundWindow(env, req.win);
    return then;
  }

  private async apply(env: string, win: string, op: UpdateOp): Promise<WindowAck | undefined> {
    const applied = await this.store.updateWindow(env, win, op);
    if (applied === undefined) return undefined;
    this.broadcast.windowUpdated({ env, win, rev: applied.rev, op: applied.op });
    return { env, win, rev: applied.rev };
  }

  /**
   * Visdom's rule that an append creates its window, for the Visdom routes: `change` an existing
   * window, or, when `win` does not exist and `orCreate` is given, create it with that instead.
   */
  async changeOrCreate<T>(env: string, win: string, change: () => Promise<T>, orCreate: (() => Promise<T>) | undefined): Promise<T> {
    return orCreate !== undefined && !(await this.store.hasWindow(env, win)) ? orCreate() : change();
  }

  async close(payload: unknown): Promise<{ env: string; win: string }> {
    const req = validate(WindowTargetSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    if (!(await this.store.closeWindow(env, req.win))) throw notFoundWindow(env, req.win);
    this.broadcast.windowClosed(env, req.win);
    return { env, win: req.win };
  }

  async get(payload: unknown): Promise<Window> {
    const req = validate(WindowTargetSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const window = await this.store.getWindow(env, req.win);
    if (window === undefined) throw notFoundWindow(env, req.win);
    return window;
  }

  /** Whether a window exists. Visdom clients ask before every append, so this reads one row, never the points. */
  exists(env: string, win: string): Promise<boolean> {
    return this.store.hasWindow(env, win);
  }

  /** A window's kind, opts and trace count, without its points (the hot path of Visdom appends). */
  summary(env: string, win: string): Promise<WindowSummary | undefined> {
    return this.store.windowSummary(env, win);
  }

  /** Create an empty env (Visdom's `/env/<eid>`); tells env pickers when it is new. */
  async createEnv(env: unknown): Promise<{ env: string; created: boolean }> {
    const id = validate(EnvIdSchema, env);
    const created = await this.store.createEnv(id);
    if (created) this.broadcast.envsChanged(await this.store.listEnvs());
    return { env: id, created };
  }

  listEnvs(): Promise<EnvSummary[]> {
    return this.store.listEnvs();
  }

  async getEnv(env: unknown): Promise<EnvSummary> {
    const id = validate(EnvIdSchema, env);
    const summary = await this.store.getEnv(id);
    if (summary === undefined) throw CnnvisError.notFound(`env '${id}' not found`);
    return summary;
  }

  async listWindows(env: unknown): Promise<Window[]> {
    const id = validate(EnvIdSchema, env);
    const windows = await this.store.listWindows(id);
    if (windows === undefined) throw CnnvisError.notFound(`env '${id}' not found`);
    return windows;
  }

  /** The windows a subscriber starts from; an env with no windows yet is empty, not missing. */
  async snapshot(payload: unknown): Promise<EnvSnapshot> {
    const { env } = validate(EnvTargetSchema, payload);
    return { env, windows: (await this.store.listWindows(env)) ?? [] };
  }

  async fork(payload: unknown): Promise<EnvSummary> {
    const req = validate(EnvForkRequestSchema, payload);
    const summary = await this.store.forkEnv(req.from, req.to);
    this.broadcast.envsChanged(await this.store.listEnvs());
    return summary;
  }

  async deleteEnv(payload: unknown): Promise<{ env: string }> {
    const { env } = validate(EnvTargetSchema, payload);
    if (!(await this.store.deleteEnv(env))) throw CnnvisError.notFound(`env '${env}' not found`);
    this.broadcast.envDeleted(env);
    this.broadcast.envsChanged(await this.store.listEnvs());
    return { env };
  }

  async saveLayout(payload: unknown): Promise<{ env: string }> {
    const req = validate(LayoutSaveRequestSchema, payload);
    await this.store.saveLayout(req.env, req.items);
    this.broadcast.layoutSaved(req.env, req.items);
    return { env: req.env };
  }

  async image(env: string, win: string, index: number): Promise<StoredImage> {
    const image = await this.store.getImage(env, win, index);
    if (image === undefined) throw CnnvisError.notFound(`image ${index} of window '${win}' not found in env '${env}'`);
    return image;
  }
}

function notFoundWindow(env: string, win: string): CnnvisError {
  return CnnvisError.notFound(`window '${win}' not found in env '${env}'`);
}
