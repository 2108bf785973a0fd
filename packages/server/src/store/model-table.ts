/**
 * Uploaded models' records: id (SHA-256), size and parsed graph as JSON, so a
 * graph is parsed once per model, not once per request.
 * @module
 */
import type { Database, Statement } from 'better-sqlite3';
import type { LayerGraph } from '@cnnvis/protocol';
import type { StoredModel } from './analysis-store';

type Row = { id: string; bytes: number; graph: string; created_at: number };

export class ModelTable {
  private readonly upsert: Statement<[string, number, string, number]>;
  private readonly select: Statement<[string], Row>;

  constructor(db: Database) {
    this.upsert = db.prepare('INSERT OR REPLACE INTO models (id, bytes, graph, created_at) VALUES (?, ?, ?, ?)');
    this.select = db.prepare('SELECT id, bytes, graph, created_at FROM models WHERE id = ?');
  }

  save(model: Omit<StoredModel, 'createdAt'>): void {
    this.upsert.run(model.id, model.bytes, JSON.stringify(model.graph), Date.now());
  }

  get(id: string): StoredModel | undefined {
    const row = this.select.get(id);
    if (row === undefined) return undefined;
    return { id: row.id, bytes: row.bytes, graph: JSON.parse(row.graph) as LayerGraph, createdAt: row.created_at };
  }
}
