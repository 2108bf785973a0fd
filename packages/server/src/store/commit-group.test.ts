import { setImmediate as turnEnd } from 'node:timers/promises';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { CommitGroup } from './commit-group';

let db: Database;
let failNext: Error | undefined;
let rollbacks: number;
let commits: CommitGroup;

beforeEach(() => {
  db = new BetterSqlite3(':memory:');
  db.exec('CREATE TABLE t (v INTEGER UNIQUE)');
  failNext = undefined;
  rollbacks = 0;
  commits = new CommitGroup(db, {
    beforeCommit: () => {
      const err = failNext;
      failNext = undefined;
      if (err !== undefined) throw err;
    },
    onRollback: () => rollbacks++,
  });
});
afterEach(() => db.close());

const insert = (v: number) => db.transaction(() => db.prepare('INSERT INTO t (v) VALUES (?)').run(v))();
const values = () => (db.prepare('SELECT v FROM t ORDER BY v').all() as Array<{ v: number }>).map((r) => r.v);

test("a turn's writes share one transaction, committed at the end of the turn; their callers answer then", async () => {
  const first = commits.write(() => insert(1).changes);
  const second = commits.write(() => insert(2).changes);
  expect(db.inTransaction).toBe(true);
  let answered = false;
  void first.then(() => (answered = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  expect(answered).toBe(false); // the turn has not ended
  await turnEnd();
  expect(db.inTransaction).toBe(false);
  await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
  expect(values()).toEqual([1, 2]);
});

test('a write that throws undoes only its own changes', async () => {
  const ok = commits.write(() => insert(1));
  expect(() => commits.write(() => insert(1))).toThrow(/UNIQUE/);
  await ok;
  expect(values()).toEqual([1]);
});

test('flush commits the open transaction at once, and runs what waited for it', async () => {
  const order: string[] = [];
  const written = commits.write(() => insert(1));
  commits.whenCommitted(() => order.push('after the commit'));
  commits.flush();
  order.push('flushed');
  expect(order).toEqual(['after the commit', 'flushed']);
  expect(db.inTransaction).toBe(false);
  await written;
});

test('a commit that fails rolls the whole turn back and fails its callers', async () => {
  const written = commits.write(() => insert(1));
  failNext = new Error('disk full');
  const failed = expect(written).rejects.toThrow('disk full');
  await turnEnd();
  await failed;
  expect(rollbacks).toBe(1);
  expect(values()).toEqual([]);
  // The next write starts afresh.
  await commits.write(() => insert(3));
  expect(values()).toEqual([3]);
});
