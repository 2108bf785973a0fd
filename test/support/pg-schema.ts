/**
 * A PostgreSQL schema of its own for one test store or server, so parallel
 * jest workers sharing the `test` database never meet. Tests read the
 * database from CNNVIS_TEST_DATABASE_URL, or use the local one .ci/run starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/** The store the server suite runs on: SQLite, or PostgreSQL with CNNVIS_TEST_STORE=postgres. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env['CNNVIS_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';

/** The database the PostgreSQL tests use. */
export const TEST_DATABASE_URL = process.env['CNNVIS_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** The database URL with the schema as its search_path. */
  url: string;
  drop(): Promise<void>;
}

/** Set by the jest run (test/support/jest-global-setup.ts), whose teardown drops the schemas its tests made. */
export const TEST_RUN_ENV = 'CNNVIS_TEST_RUN';
/** A schema unused this long was left by a run that was killed: the next test to make one drops it. */
const STALE_SCHEMA_MS = 3600_000;

/** What a schema's comment says of it: the run that made it, when it was last made, and its folder if any. */
interface SchemaNote {
  run?: string;
  at?: number;
  dir?: string;
}

/** Drop the test schemas whose note `doomed` picks; those with no note (made elsewhere) stay. */
async function dropSchemas(client: pg.Client, doomed: (note: SchemaNote) => boolean): Promise<void> {
  const { rows } = await client.query<{ name: string; note: string | null }>(
    `SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS note FROM pg_namespace WHERE nspname LIKE 'cnnvis\\_test\\_%'`);
  for (const { name, note } of rows) {
    if (note !== null && doomed(JSON.parse(note) as SchemaNote)) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  }
}

/** Whether this process has dropped the schemas of killed runs yet. */
let staleDropped = false;

/** Drop every schema made by the jest run `run` (its tests are over): the teardown's job. */
export async function dropRunSchemas(run: string, base = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await dropSchemas(client, (note) => note.run === run);
  } finally {
    await client.end();
  }
}

/**
 * Create an empty schema; `drop()` removes it and everything in it. With `dataDir`, the
 * schema of that folder (made if missing): a server restarted on the folder finds its data.
 */
export async function createTestSchema(base = TEST_DATABASE_URL, dataDir?: string): Promise<TestSchema> {
  const name = dataDir === undefined ? `cnnvis_test_${process.pid}_${randomBytes(4).toString('hex')}` : `cnnvis_test_dir_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  const note: SchemaNote = { run: process.env[TEST_RUN_ENV] ?? '', at: Date.now(), ...(dataDir === undefined ? {} : { dir: dataDir }) };
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    if (!staleDropped) {
      staleDropped = true;
      await dropSchemas(client, (n) => Date.now() - (n.at ?? Infinity) > STALE_SCHEMA_MS);
    }
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${name}`);
    // A folder's schema is made again on each restart on it: its time is its last use.
    await client.query(`COMMENT ON SCHEMA ${name} IS ${client.escapeLiteral(JSON.stringify(note))}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
