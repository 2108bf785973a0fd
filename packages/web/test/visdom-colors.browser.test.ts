/**
 * A Visdom scatter's per-point colours in Chromium: an `/update` append that
 * carries `marker.color` extends the drawn plot's colours with its points,
 * without a redraw. Assumes the UI is built.
 */
import { eventually } from '../../../test/support/start-server';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

/** POST as the stock client does: JSON text, no content type. */
const send = (url: string, msg: unknown) => fetch(url, { method: 'POST', body: new TextEncoder().encode(JSON.stringify(msg)) });
const trace = (x: number[], color: string[]) => ({ x, y: x, name: '1', type: 'scatter', mode: 'markers', marker: { size: 10, color } });

describe('Visdom scatter colours in Chromium', () => {
  const app = useAppPage({ viewport: { width: 1200, height: 800 } });

  test('an append with marker.color extends the plot and its colours', async () => {
    await send(`${app.server.url}/events`, { data: [trace([0, 1], ['red', 'blue'])], win: 'sc', eid: 'main', layout: {}, opts: {} });
    await app.ui.open();
    await app.ui.ready('sc');
    await send(`${app.server.url}/update`, { data: [trace([2, 3], ['green', 'red'])], win: 'sc', eid: 'main', name: '1', append: true, layout: {}, opts: {} });
    const drawn = () =>
      app.page.$eval(`${pane('sc')} .js-plotly-plot`, (el) => {
        const d = (el as unknown as { data: Array<{ x: unknown[]; marker: { color: unknown } }> }).data[0];
        return { x: d?.x, color: d?.marker.color, extends: (el as HTMLElement).dataset['extends'] };
      });
    await eventually(async () => (await drawn()).x?.length === 4, 10_000);
    expect(await drawn()).toEqual({ x: [0, 1, 2, 3], color: ['red', 'blue', 'green', 'red'], extends: '1' });
  });
});
