/**
 * The stores the store contract tests run against: SQLite in a temporary
 * folder, and PostgreSQL in a schema of its own (see test/support/pg-schema.ts).
 * Each opens as the server opens it, and can be opened again on the same
 * data, as a restarted server would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestSchema } from '../../../../test/support/pg-schema';
import type { AnalysisStore } from '../../src/store/analysis-store';
import { PgStore } from '../../src/store/pg-store';
import { SqliteStore } from '../../src/store/sqlite-store';
import type { StoreLimits, WindowStore } from '../../src/store/window-store';

export type AnyStore = WindowStore & AnalysisStore;

export interface TestStoreData {
  /** Open a store on this data (again, after closing one: a restart). */
  open(limits?: Partial<StoreLimits>): Promise<AnyStore>;
  /** Flags a spawned `cnnvis-server` needs to serve this data. */
  serverArgs: string[];
  dispose(): Promise<void>;
}

export interface TestStoreKind {
  name: 'sqlite' | 'postgres';
  /** Fresh, empty data. */
  create(): Promise<TestStoreData>;
}

export const TEST_STORES: TestStoreKind[] = [
  {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'cnnvis-store-'));
      return {
        open: async (limits) => new SqliteStore(dir, limits),
        serverArgs: ['--data-dir', dir],
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'cnnvis-store-'));
      const schema = await createTestSchema();
      return {
        open: (limits) => PgStore.open(schema.url, dir, limits),
        serverArgs: ['--data-dir', dir, '--database-url', schema.url],
        async dispose() {
          await schema.drop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
