/**
 * Jest's global teardown: once every test is over, drop the PostgreSQL schemas
 * this run made, servers' folder schemas included (tests remove the folders,
 * not the schemas). A run killed before this leaves them to the next one.
 */
import { dropRunSchemas, TEST_RUN_ENV } from './pg-schema';

export default async function teardown(): Promise<void> {
  const run = process.env[TEST_RUN_ENV];
  if (run === undefined) return;
  try {
    await dropRunSchemas(run);
  } catch (err) {
    // No PostgreSQL to reach: no schema of this run on it either (a run of the SQLite tests alone).
    if ((err as { code?: string }).code !== 'ECONNREFUSED') throw err;
  }
}
