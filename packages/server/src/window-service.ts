/**
 * What the server does, independent of transport: validate, change the
 * store, tell the browsers. Socket handlers and HTTP routes both call this,
 * so the two APIs cannot drift apart.
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
  type Window,
  type WindowAck,
  type WindowCreateRequest,
} from '@cnnvis/protocol';
import type { z } from 'zod';
import type { Broadcaster } from './broadcaster';
import { CnnvisError } from './errors';
import { toStoredImage } from './images/image-input';
import { SERVER_DEFAULTS } from './options';
import type { CreateWindowInput, StoreContent, StoredImage, WindowStore, WindowSummary } from './store/window-store';

/** Validate `value` or throw BAD_REQUEST naming every bad field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = parsePayload(schema, value);
  if (!r.ok) throw CnnvisError.badRequest(r.issues);
  return r.data;
}

/** Limits checked before the store sees a change (the store checks its own: points, windows). */
export interface WindowServiceLimits {
  /** Largest image, width × height. @default SERVER_DEFAULTS.maxImagePixels */
  maxImagePixels: number;
}

export class WindowService {
  private readonly maxImagePixels: number;

  constructor(
    private readonly store: WindowStore,
    private readonly broadcast: Broadcaster,
    limits: Partial<WindowServiceLimits> = {},
  ) {
    this.maxImagePixels = limits.maxImagePixels ?? SERVER_DEFAULTS.maxImagePixels;
  }

  create(payload: unknown): WindowAck {
    return this.createValid(validate(WindowCreateRequestSchema, payload));
  }

  private createValid(req: WindowCreateRequest): WindowAck {
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
          throw CnnvisError.badRequest([{ path: 'content.selected', message: `is ${req.content.selected} but there are ${images.length} images` }]);
        }
        content.selected = req.content.selected;
      }
    } else {
      content = req.content;
    }
    return this.put({ env, win, content, opts: req.opts ?? {} });
  }

  /**
   * Create or replace a window from content the server made itself (already
   * valid, e.g. an analysis run's graph pane), and tell the browsers.
   */
  put(input: CreateWindowInput): WindowAck {
    if (input.content.kind === 'image') input.content.images.forEach((img, i) => this.checkImageSize(img, `content.images[${i}]`));
    const isNewEnv = !this.store.hasEnv(input.env);
    const window = this.store.createWindow(input);
    this.broadcast.windowCreated(window);
    if (isNewEnv) this.broadcast.envsChanged(this.store.listEnvs());
    return { env: input.env, win: input.win, rev: window.rev };
  }

  /** Sizes come from raw shapes or PNG/JPEG headers, so a decompression bomb is refused unread (an analysis input too). */
  checkImageSize(img: Pick<StoredImage, 'width' | 'height'>, path: string): void {
    const pixels = img.width * img.height;
    if (pixels <= this.maxImagePixels) return;
    throw new CnnvisError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `${path}: a ${img.width}×${img.height} image has ${pixels.toLocaleString('en-US')} pixels, more than the limit of ${this.maxImagePixels.toLocaleString('en-US')} (raise it with --max-image-pixels)`,
    });
  }

  /** Apply an update op; with `orCreate`, a window that does not exist yet is created from it instead. */
  update(payload: unknown): WindowAck {
    const req = validate(WindowUpdateRequestSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const seed = req.orCreate;
    const orCreate = seed === undefined ? undefined : () => this.createValid({ env, win: req.win, ...seed });
    return this.changeOrCreate(env, req.win, () => {
      const { rev, op } = this.store.updateWindow(env, req.win, req.op);
      this.broadcast.windowUpdated({ env, win: req.win, rev, op });
      return { env, win: req.win, rev };
    }, orCreate);
  }

  /**
   * Visdom's rule that an append creates its window, kept here alone for the
   * SDK's updates and the Visdom routes: `change` an existing window, or, when
   * `win` does not exist and `orCreate` is given, create it with that instead.
   * The check and either call run synchronously, so no other request comes
   * between them (the SDK once did this in up to three round trips, racing its own appends).
   * @example
   * // Visdom's /update: its own edits of an existing window, or the window its body describes.
   * service.changeOrCreate(env, win, () => applyUpdate(body), () => service.create(toCreateRequest(body)).win);
   */
  changeOrCreate<T>(env: string, win: string, change: () => T, orCreate: (() => T) | undefined): T {
    return orCreate !== undefined && !this.store.hasWindow(env, win) ? orCreate() : change();
  }

  close(payload: unknown): { env: string; win: string } {
    const req = validate(WindowTargetSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    if (!this.store.closeWindow(env, req.win)) throw notFoundWindow(env, req.win);
    this.broadcast.windowClosed(env, req.win);
    return { env, win: req.win };
  }

  get(payload: unknown): Window {
    const req = validate(WindowTargetSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const window = this.store.getWindow(env, req.win);
    if (window === undefined) throw notFoundWindow(env, req.win);
    return window;
  }

  /** Whether a window exists. Visdom clients ask before every append, so this reads one row, never the points. */
  exists(env: string, win: string): boolean {
    return this.store.hasWindow(env, win);
  }

  /** A window's kind, opts and trace count, without its points (the hot path of Visdom appends). */
  summary(env: string, win: string): WindowSummary | undefined {
    return this.store.windowSummary(env, win);
  }

  /** Create an empty env (Visdom's `/env/<eid>`); tells env pickers when it is new. */
  createEnv(env: unknown): { env: string; created: boolean } {
    const id = validate(EnvIdSchema, env);
    const created = this.store.createEnv(id);
    if (created) this.broadcast.envsChanged(this.store.listEnvs());
    return { env: id, created };
  }

  listEnvs(): EnvSummary[] {
    return this.store.listEnvs();
  }

  getEnv(env: unknown): EnvSummary {
    const id = validate(EnvIdSchema, env);
    const summary = this.store.getEnv(id);
    if (summary === undefined) throw CnnvisError.notFound(`env '${id}' not found`);
    return summary;
  }

  listWindows(env: unknown): Window[] {
    const id = validate(EnvIdSchema, env);
    const windows = this.store.listWindows(id);
    if (windows === undefined) throw CnnvisError.notFound(`env '${id}' not found`);
    return windows;
  }

  /** The windows a subscriber starts from; an env with no windows yet is empty, not missing. */
  snapshot(payload: unknown): EnvSnapshot {
    const { env } = validate(EnvTargetSchema, payload);
    return { env, windows: this.store.listWindows(env) ?? [] };
  }

  fork(payload: unknown): EnvSummary {
    const req = validate(EnvForkRequestSchema, payload);
    const summary = this.store.forkEnv(req.from, req.to);
    this.broadcast.envsChanged(this.store.listEnvs());
    return summary;
  }

  deleteEnv(payload: unknown): { env: string } {
    const { env } = validate(EnvTargetSchema, payload);
    if (!this.store.deleteEnv(env)) throw CnnvisError.notFound(`env '${env}' not found`);
    this.broadcast.envDeleted(env);
    this.broadcast.envsChanged(this.store.listEnvs());
    return { env };
  }

  saveLayout(payload: unknown): { env: string } {
    const req = validate(LayoutSaveRequestSchema, payload);
    this.store.saveLayout(req.env, req.items);
    this.broadcast.layoutSaved(req.env, req.items);
    return { env: req.env };
  }

  image(env: string, win: string, index: number) {
    const image = this.store.getImage(env, win, index);
    if (image === undefined) throw CnnvisError.notFound(`image ${index} of window '${win}' not found in env '${env}'`);
    return image;
  }
}

function notFoundWindow(env: string, win: string): CnnvisError {
  return CnnvisError.notFound(`window '${win}' not found in env '${env}'`);
}
