import { setImmediate as turnEnd } from 'node:timers/promises';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { CommitGroup, groupWrites } from './commit-group';

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

test('a write outside a group is committed when it returns', () => {
  commits.write(() => insert(1));
  expect(db.inTransaction).toBe(false);
  expect(values()).toEqual([1]);
});

test("a group's writes share one transaction, committed at the end of the turn; its callers answer then", async () => {
  const first = commits.grouped(() => commits.write(() => insert(1)).changes);
  const second = commits.grouped(() => commits.write(() => insert(2)).changes);
  expect(first).toBeInstanceOf(Promise);
  expect(db.inTransaction).toBe(true);
  await turnEnd();
  expect(db.inTransaction).toBe(false);
  await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
  expect(values()).toEqual([1, 2]);
});

test('a call that wrote nothing answers at once', () => {
  expect(commits.grouped(() => values().length)).toBe(0);
});

test('a write that throws in a group undoes only its own changes', async () => {
  const ok = commits.grouped(() => commits.write(() => insert(1)));
  expect(() => commits.grouped(() => commits.write(() => insert(1)))).toThrow(/UNIQUE/);
  await ok;
  expect(values()).toEqual([1]);
});

test('a write outside commits the open group at once, and runs what waited for it', async () => {
  const order: string[] = [];
  const grouped = commits.grouped(() => commits.write(() => insert(1)));
  commits.whenCommitted(() => order.push('after the group'));
  commits.write(() => insert(2));
  order.push('returned');
  expect(order).toEqual(['after the group', 'returned']);
  expect(db.inTransaction).toBe(false);
  await grouped;
});

test('a commit that fails rolls the whole group back and fails its callers', async () => {
  const grouped = commits.grouped(() => commits.write(() => insert(1)));
  failNext = new Error('disk full');
  const failed = expect(grouped).rejects.toThrow('disk full');
  await turnEnd();
  await failed;
  expect(rollbacks).toBe(1);
  expect(values()).toEqual([]);
  // The next write starts afresh.
  commits.write(() => insert(3));
  expect(values()).toEqual([3]);
});

test('groupWrites runs each handler inside the group', async () => {
  const handlers = groupWrites({ put: (v: number) => commits.write(() => insert(v)).changes, count: () => values().length }, commits);
  const put = handlers.put(5);
  expect(put).toBeInstanceOf(Promise);
  expect(handlers.count()).toBe(1);
  await expect(put).resolves.toBe(1);
});
