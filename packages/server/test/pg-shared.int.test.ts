/**
 * Two servers on one PostgreSQL database: each reads what the other wrote as
 * soon as it is acknowledged (neither keeps window heads or summaries in memory).
 */
import { CnnVis } from '@cnnvis/client';
import type { PlotContent } from '@cnnvis/protocol';
import { createTestSchema, type TestSchema } from '../../../test/support/pg-schema';
import { startServer, type TestServer } from '../../../test/support/start-server';

let schema: TestSchema;
let a: TestServer;
let b: TestServer;
beforeEach(async () => {
  schema = await createTestSchema();
  a = await startServer({ databaseUrl: schema.url });
  b = await startServer({ databaseUrl: schema.url, dataDir: a.dataDir });
});
afterEach(async () => {
  await b.close();
  await a.close();
  await schema.drop();
});

test('1,000 appends to server A read back whole from server B\'s REST API, and B appends on after them', async () => {
  const onA = new CnnVis({ url: a.url, env: 'shared' });
  const onB = new CnnVis({ url: b.url, env: 'shared' });
  try {
    await onA.line({ x: [0], y: [0] }, { win: 'loss', name: 'train' });
    // Pipelined, as a training loop sends them.
    await Promise.all(Array.from({ length: 1000 }, (_, i) => onA.line({ x: [i + 1], y: [i + 1] }, { win: 'loss', name: 'train', update: 'append' })));
    const seen = (await (await fetch(`${b.url}/api/envs/shared/windows/loss`)).json()) as { content: PlotContent };
    expect(seen.content.traces[0]?.x).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    await onB.line({ x: [1001], y: [1001] }, { win: 'loss', name: 'train', update: 'append' });
    const back = await onA.getWindow('loss');
    expect((back.content as PlotContent).traces[0]?.x).toHaveLength(1002);
    expect(back.rev).toBe((await onB.getWindow('loss')).rev);
    const envs = await (await fetch(`${b.url}/api/envs`)).json();
    expect(envs).toEqual([expect.objectContaining({ id: 'shared', windows: 1 })]);
  } finally {
    await onA.disconnect();
    await onB.disconnect();
  }
});
