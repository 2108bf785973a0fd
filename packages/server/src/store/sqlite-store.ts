/**
 * The default {@link WindowStore}: one SQLite file in the data dir. Every
 * method runs in one transaction, so a change is either whole or absent, and
 * is on disk before the caller acknowledges it.
 * @module
 */
import type { Database } from 'better-sqlite3';
import {
  assertOpFitsKind,
  applyUpdate,
  UpdateRejection,
  type Content,
  type EnvSummary,
  type ImageRef,
  type LayoutItem,
  type PaneLayout,
  type UpdateOp,
  type Window,
  type WindowOpts,
} from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import { imageUrl } from '../images/image-url';
import { ImageTable } from './image-table';
import { openDatabase } from './open-database';
import { TraceTable } from './trace-table';
import { prepareWindowStatements, type WindowStatements } from './window-statements';
import type { AppliedUpdate, CreateWindowInput, StoredImage, WindowStore } from './window-store';

interface WindowRow {
  env: string;
  id: string;
  kind: Window['kind'];
  opts: string;
  content: string | null;
  position: number;
  layout: string | null;
  rev: number;
  updated_at: number;
}

type ImageMeta = { kind: 'image'; nrow: number; padding: number; images: Array<Omit<ImageRef, 'url'>> };

const MIME = { png: 'image/png', jpeg: 'image/jpeg', raw: 'image/png' } as const;

export class SqliteStore implements WindowStore {
  private readonly db: Database;
  private readonly traces: TraceTable;
  private readonly images: ImageTable;
  private readonly stmt: WindowStatements;
  private readonly createTx: (input: CreateWindowInput) => void;
  private readonly updateTx: (env: string, win: string, op: UpdateOp) => AppliedUpdate;

  constructor(dataDir: string) {
    this.db = openDatabase(dataDir);
    this.traces = new TraceTable(this.db);
    this.images = new ImageTable(this.db);
    this.stmt = prepareWindowStatements(this.db);
    // Made once: building a transaction function per call costs more than a small write.
    this.createTx = this.db.transaction((input: CreateWindowInput) => this.writeWindow(input));
    this.updateTx = this.db.transaction((env: string, win: string, op: UpdateOp) => this.applyOp(env, win, op));
  }

  listEnvs(): EnvSummary[] {
    return this.stmt.envs.all() as EnvSummary[];
  }

  hasEnv(env: string): boolean {
    return this.stmt.hasEnv.get(env) !== undefined;
  }

  getEnv(env: string): EnvSummary | undefined {
    return this.stmt.env.get(env) as EnvSummary | undefined;
  }

  createWindow(input: CreateWindowInput): Window {
    this.createTx(input);
    return this.mustGet(input.env, input.win);
  }

  private writeWindow({ env, win, content, opts }: CreateWindowInput): void {
    const now = Date.now();
    this.stmt.touchEnv.run(env, now, now);
    this.clearContent(env, win);
    let stored: string | null = null;
    if (content.kind === 'text') stored = JSON.stringify(content);
    if (content.kind === 'image') stored = JSON.stringify(imageMeta(content));
    const { n } = this.stmt.nextPosition.get(env) as { n: number };
    const { rev } = this.stmt.upsert.get({ env, id: win, kind: content.kind, opts: JSON.stringify(opts), content: stored, position: n, now }) as { rev: number };
    if (content.kind === 'plot') this.traces.create(env, win, rev, content.traces);
    if (content.kind === 'image') this.images.write(env, win, content.images);
  }

  updateWindow(env: string, win: string, op: UpdateOp): AppliedUpdate {
    return this.updateTx(env, win, op);
  }

  private applyOp(env: string, win: string, op: UpdateOp): AppliedUpdate {
    const head = this.stmt.head.get(env, win) as Pick<WindowRow, 'kind' | 'content'> | undefined;
    if (head === undefined) throw CnnvisError.notFound(`window '${win}' not found in env '${env}'`);
    assertOpFitsKind(op, head.kind);
    // Bump first: plot points are stored under the rev of the change that brought them.
    const { rev } = this.stmt.bump.get(Date.now(), env, win) as { rev: number };
    let applied = op;
    if (op.type === 'opts') {
      const row = this.stmt.getOpts.get(env, win) as { opts: string };
      this.stmt.setOpts.run(JSON.stringify({ ...(JSON.parse(row.opts) as WindowOpts), ...op.opts }), env, win);
    } else if (head.kind === 'plot') {
      applied = this.traces.apply(env, win, rev, op);
    } else {
      const next = applyUpdate(JSON.parse(head.content ?? 'null') as Content, op);
      this.stmt.setContent.run(JSON.stringify(next), env, win);
    }
    return { rev, op: applied };
  }

  getWindow(env: string, win: string): Window | undefined {
    const row = this.stmt.window.get(env, win) as WindowRow | undefined;
    return row === undefined ? undefined : this.toWindow(row);
  }

  listWindows(env: string): Window[] | undefined {
    if (!this.hasEnv(env)) return undefined;
    return (this.stmt.windows.all(env) as WindowRow[]).map((row) => this.toWindow(row));
  }

  closeWindow(env: string, win: string): boolean {
    return this.db.transaction(() => {
      this.clearContent(env, win);
      return this.stmt.deleteWindow.run(env, win).changes > 0;
    })();
  }

  forkEnv(from: string, to: string): EnvSummary {
    this.db.transaction(() => {
      if (!this.hasEnv(from)) throw CnnvisError.notFound(`env '${from}' not found`);
      if (this.hasEnv(to)) throw new CnnvisError({ code: 'CONFLICT', message: `to: env '${to}' already exists` });
      const now = Date.now();
      this.stmt.touchEnv.run(to, now, now);
      for (const table of ['windows', 'traces', 'chunks', 'images']) {
        const cols = (this.db.pragma(`table_info(${table})`) as Array<{ name: string }>)
          .map((c) => c.name)
          .filter((c) => c !== 'env');
        const list = cols.join(', ');
        this.db.prepare(`INSERT INTO ${table} (env, ${list}) SELECT ?, ${list} FROM ${table} WHERE env = ?`).run(to, from);
      }
    })();
    return this.getEnv(to) as EnvSummary;
  }

  deleteEnv(env: string): boolean {
    return this.db.transaction(() => {
      for (const table of ['traces', 'chunks', 'images']) {
        this.db.prepare(`DELETE FROM ${table} WHERE env = ?`).run(env);
      }
      return this.stmt.deleteEnv.run(env).changes > 0;
    })();
  }

  saveLayout(env: string, items: readonly LayoutItem[]): void {
    this.db.transaction(() => {
      if (!this.hasEnv(env)) throw CnnvisError.notFound(`env '${env}' not found`);
      for (const { win, ...layout } of items) {
        this.stmt.setLayout.run(JSON.stringify(layout satisfies PaneLayout), env, win);
      }
    })();
  }

  getImage(env: string, win: string, index: number): StoredImage | undefined {
    return this.images.get(env, win, index);
  }

  close(): void {
    this.db.close();
  }

  private clearContent(env: string, win: string): void {
    this.stmt.deleteTraces.run(env, win);
    this.stmt.deleteChunks.run(env, win);
    this.images.deleteWindow(env, win);
  }

  private mustGet(env: string, win: string): Window {
    const w = this.getWindow(env, win);
    if (w === undefined) throw new UpdateRejection('NOT_FOUND', `window '${win}' vanished`);
    return w;
  }

  private toWindow(row: WindowRow): Window {
    return {
      env: row.env,
      id: row.id,
      kind: row.kind,
      opts: JSON.parse(row.opts) as WindowOpts,
      content: this.readContent(row),
      rev: row.rev,
      position: row.position,
      layout: row.layout === null ? null : (JSON.parse(row.layout) as PaneLayout),
      updatedAt: row.updated_at,
    };
  }

  private readContent(row: WindowRow): Content {
    if (row.kind === 'plot') return { kind: 'plot', traces: this.traces.read(row.env, row.id, row.rev) };
    const stored = JSON.parse(row.content ?? 'null') as Content | ImageMeta;
    if (stored.kind !== 'image') return stored;
    const images = stored.images.map((img, i) => ({ ...img, url: imageUrl(row.env, row.id, i, row.rev) }));
    return { ...stored, images };
  }
}

function imageMeta(content: Extract<CreateWindowInput['content'], { kind: 'image' }>): ImageMeta {
  return {
    kind: 'image',
    nrow: content.nrow,
    padding: content.padding,
    images: content.images.map((img) => {
      const meta: Omit<ImageRef, 'url'> = { mime: MIME[img.encoding], width: img.width, height: img.height };
      if (img.caption !== undefined) meta.caption = img.caption;
      return meta;
    }),
  };
}
