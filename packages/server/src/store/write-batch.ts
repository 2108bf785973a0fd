/**
 * The hot path of a training loop, in batches: plot appends to traces a
 * window has, and image panes replaced. Such a write is checked against a
 * small in-memory view of its window (rev, position, layout, trace names and
 * point counts), written to the {@link WriteJournal} (durable from then on)
 * and acknowledged; SQLite takes the pending writes in one transaction a few
 * milliseconds later, or at once before anything else reads or changes the
 * store. Measured on the 2-core VM: a transaction per append cost ~75 µs of
 * the server's ~130 µs per awaited append, and ~150 µs per small image; a
 * journal line costs ~10 µs.
 *
 * Everything else goes the full way after the batch is settled, so SQLite
 * always sees changes in the order they were acknowledged.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { PaneLayout, UpdateOp, Window } from '@cnnvis/protocol';
import { AppendRows, planAppend, type HotPlot, type HotTrace } from './batched-appends';
import { ImageRows } from './batched-images';
import type { AppliedUpdate, StoredImage } from './window-store';
import type { ImageTable } from './image-table';
import type { TraceTable } from './trace-table';
import type { WindowStatements } from './window-statements';
import type { AppendRecord, ImageRecord, JournalRecord, WriteJournal } from './write-journal';

/** How long acknowledged writes may wait for SQLite. */
export const BATCH_DELAY_MS = 20;
/** Writes that make SQLite take the batch at once, so memory and the journal stay small. */
export const BATCH_MAX_WRITES = 2048;
/** Windows kept in the in-memory view; past this the view starts again empty. */
const HOT_WINDOWS = 4096;

/** What the batched path knows of a window while writes stream in. */
interface HotWindow {
  kind: Window['kind'];
  rev: number;
  position: number;
  layout: string | null;
  /** Plot windows only. */
  plot?: HotPlot;
}

/** An image pane's new content, as {@link WriteBatch.tryImage} takes it. */
export interface ImagePut {
  env: string;
  win: string;
  /** The windows row's opts and content, JSON. */
  opts: string;
  content: string;
  images: readonly StoredImage[];
}

/**
 * Images up to this many bytes in all ride in the journal entry, so a
 * replacement costs one write instead of two; bigger ones go to the blob log at
 * once. Bounds the pending batch at {@link BATCH_MAX_WRITES} × ~4.5 KB.
 */
export const INLINE_IMAGE_BYTES = 4096;

/** The pane as replaced: what reading it back would give, less its content. */
export type PutWindow = Pick<Window, 'rev' | 'position' | 'layout' | 'updatedAt'>;

export class WriteBatch {
  private readonly hot = new Map<string, HotWindow>();
  private pending: JournalRecord[] = [];
  private seq: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly head: Statement<[string, string], { kind: Window['kind']; rev: number; position: number; layout: string | null }>;
  private readonly readSeq: Statement<[], { seq: number }>;
  private readonly writeSeq: Statement<[number]>;
  private readonly appendRows: AppendRows;
  private readonly imageRows: ImageRows;
  private readonly applyTx: (records: readonly JournalRecord[]) => void;
  /** Called after each batch commits (the store collects image segments then). */
  afterFlush: () => void = () => undefined;

  /** Replays what the journal holds beyond what SQLite took (a crash before the batch committed). */
  constructor(
    db: Database,
    private readonly journal: WriteJournal,
    private readonly tables: { traces: TraceTable; images: ImageTable; stmt: WindowStatements },
    private readonly maxPoints: number,
  ) {
    this.head = db.prepare('SELECT kind, rev, position, layout FROM windows WHERE env = ? AND id = ?');
    this.readSeq = db.prepare('SELECT seq FROM journal_state WHERE id = 0');
    this.writeSeq = db.prepare('INSERT INTO journal_state (id, seq) VALUES (0, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq');
    this.appendRows = new AppendRows(db, tables.traces);
    this.imageRows = new ImageRows(db, tables.images, tables.stmt);
    this.applyTx = db.transaction((records: readonly JournalRecord[]) => this.apply(records));
    const taken = this.readSeq.get()?.seq ?? 0;
    const missed = journal.read().filter((r) => r.seq > taken);
    if (missed.length > 0) this.applyTx(missed);
    journal.clear();
    this.seq = missed.at(-1)?.seq ?? taken;
  }

  /**
   * The append applied and durable, or undefined when it must go the full way:
   * not a plain append, a window that is not a plot (or does not exist), a
   * trace it does not have yet, or per-point colours.
   * Throws (changing nothing) what the full way would: a bad trace index, too many points.
   */
  tryAppend(env: string, win: string, op: UpdateOp): AppliedUpdate | undefined {
    if (op.type !== 'append') return undefined;
    const w = this.window(env, win);
    if (w?.plot === undefined) return undefined;
    const plan = planAppend(w.plot, op, this.maxPoints);
    if (plan === undefined) return undefined;
    const record: AppendRecord = { type: 'append', seq: this.seq + 1, env, win, rev: w.rev + 1, at: Date.now(), parts: plan.parts };
    this.take(record); // throws on a full disk, before anything changed
    w.rev = record.rev;
    plan.commit();
    return { rev: record.rev, op: plan.op };
  }

  /** An image pane replaced, durable; undefined when it must go the full way (a new window, or one of another kind). */
  tryImage(put: ImagePut): PutWindow | undefined {
    const w = this.window(put.env, put.win);
    if (w?.kind !== 'image') return undefined;
    const { env, win, opts, content } = put;
    const small = put.images.reduce((n, img) => n + img.data.byteLength, 0) <= INLINE_IMAGE_BYTES;
    const bytes = small
      ? // Copied: the bytes may be a view of a socket read holding many frames, and they wait for the batch.
        { inline: put.images.map(({ encoding, width, height, channels, data }) => ({ encoding, width, height, channels, data: Buffer.from(data) })) }
      : { images: this.tables.images.appendBytes(put.images) };
    const record: ImageRecord = { type: 'image', seq: this.seq + 1, env, win, rev: w.rev + 1, at: Date.now(), opts, content, ...bytes };
    this.take(record);
    w.rev = record.rev;
    return { rev: record.rev, position: w.position, layout: w.layout === null ? null : (JSON.parse(w.layout) as PaneLayout), updatedAt: record.at };
  }

  /** Hand SQLite the pending writes and forget the in-memory view: call before any other read or write. */
  settle(): void {
    this.flush();
    this.hot.clear();
  }

  /** Hand SQLite the pending writes in one transaction, then empty the journal. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.applyTx(this.pending); // on a throw the writes stay pending, and in the journal
    this.pending = [];
    this.journal.clear();
    this.afterFlush();
  }

  private take(record: JournalRecord): void {
    this.journal.write(record);
    this.seq = record.seq;
    this.pending.push(record);
    if (this.pending.length >= BATCH_MAX_WRITES) this.flush();
    else this.timer ??= setTimeout(() => this.flushLater(), BATCH_DELAY_MS).unref();
  }

  /** The timer's flush: a failure (a full disk) leaves the writes in the journal; try again later. */
  private flushLater(): void {
    try {
      this.flush();
    } catch {
      this.timer = setTimeout(() => this.flushLater(), BATCH_DELAY_MS * 10).unref();
    }
  }

  private window(env: string, win: string): HotWindow | undefined {
    const key = `${env}\u0000${win}`;
    const known = this.hot.get(key);
    if (known !== undefined) return known;
    const head = this.head.get(env, win);
    if (head === undefined) return undefined;
    if (this.hot.size >= HOT_WINDOWS) this.settle();
    const w: HotWindow = { kind: head.kind, rev: head.rev, position: head.position, layout: head.layout };
    if (head.kind === 'plot') {
      const rows = this.tables.traces.rowsOf(env, win);
      const traces = new Map<string, HotTrace>();
      // A name held twice: appends go to its first trace, as on the full path.
      for (const r of rows) if (!traces.has(r.name)) traces.set(r.name, { idx: r.idx, points: r.points });
      w.plot = { names: rows.map((r) => ({ name: r.name })), traces };
    }
    this.hot.set(key, w);
    return w;
  }

  /** Each window's records go together, in order (a window's records are all of one kind). */
  private apply(records: readonly JournalRecord[]): void {
    const byWindow = new Map<string, JournalRecord[]>();
    for (const r of records) {
      const key = `${r.env}\u0000${r.win}`;
      const list = byWindow.get(key);
      if (list === undefined) byWindow.set(key, [r]);
      else list.push(r);
    }
    for (const list of byWindow.values()) {
      if (list[0]?.type === 'append') this.appendRows.write(list as AppendRecord[]);
      else this.imageRows.write(list as ImageRecord[]);
    }
    const last = records.at(-1);
    if (last !== undefined) this.writeSeq.run(last.seq);
  }
}
