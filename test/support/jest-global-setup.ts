/**
 * Jest's global setup: names this run, so that the PostgreSQL schemas its
 * tests make (pg-schema.ts) can be told from those of runs beside it sharing
 * the `test` database. The workers inherit the name through the environment.
 */
import { randomBytes } from 'node:crypto';
import { TEST_RUN_ENV } from './pg-schema';

export default function setup(): void {
  process.env[TEST_RUN_ENV] = randomBytes(6).toString('hex');
}
