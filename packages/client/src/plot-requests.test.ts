import { WindowCreateRequestSchema, WindowUpdateRequestSchema } from '@cnnvis/protocol';
import { planBar, planHeatmap, planHistogram } from './plot-requests';
import { planText } from './text-requests';

describe('planBar', () => {
  it('creates one bar trace per series, with labels and stacked', () => {
    const plan = planBar({ y: [[1, 2], [3, 4]], x: ['a', 'b'] }, { win: 'b', legend: ['p', 'q'], stacked: true }, 'main');
    expect(plan).toEqual({
      create: {
        env: 'main',
        win: 'b',
        content: {
          kind: 'plot',
          traces: [
            { name: 'p', type: 'bar', x: ['a', 'b'], y: [1, 2] },
            { name: 'q', type: 'bar', x: ['a', 'b'], y: [3, 4] },
          ],
        },
        opts: { legend: ['p', 'q'], stacked: true },
      },
    });
    expect('create' in plan && WindowCreateRequestSchema.safeParse(plan.create).success).toBe(true);
  });

  it('leaves x out when not given and checks lengths when it is', () => {
    const plan = planBar({ y: new Float32Array([1, 2]) }, {}, 'main');
    expect('create' in plan && plan.create.content).toEqual({ kind: 'plot', traces: [{ name: 'trace 0', type: 'bar', y: [1, 2] }] });
    expect(() => planBar({ y: [1, 2], x: ['a'] }, {}, 'main')).toThrow('y: has 2 values but x has 1');
  });
});

describe('planHistogram', () => {
  it('sends the bins as one bar trace of counts at the bin centres', () => {
    const plan = planHistogram({ values: [0, 1, 1, 2] }, { win: 'h', numbins: 2, title: 'w' }, 'main');
    expect(plan).toEqual({
      create: {
        env: 'main',
        win: 'h',
        content: { kind: 'plot', traces: [{ name: 'histogram', type: 'bar', x: [0.5, 1.5], y: [1, 3] }] },
        opts: { title: 'w' },
      },
    });
  });

  it('defaults to 30 bins and rejects a bad numbins', () => {
    const plan = planHistogram({ values: new Float32Array(1000).map((_, i) => i) }, {}, 'main');
    expect('create' in plan && plan.create.content.kind === 'plot' && plan.create.content.traces[0]?.y).toHaveLength(30);
    expect(() => planHistogram({ values: [1] }, { numbins: 0 }, 'main')).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: 'numbins: must be an integer from 1 to 10000, got 0' }),
    );
  });
});

describe('planHeatmap', () => {
  it('creates a heatmap trace with labels and colour options', () => {
    const plan = planHeatmap({ z: [[1, NaN], [3, 4]], x: ['a', 'b'], y: ['c', 'd'] }, { win: 'cm', colormap: 'Viridis', zmin: 0 }, 'main');
    expect(plan).toEqual({
      create: {
        env: 'main',
        win: 'cm',
        content: { kind: 'plot', traces: [{ name: 'heatmap', type: 'heatmap', z: [[1, null], [3, 4]], x: ['a', 'b'], y: ['c', 'd'] }] },
        opts: { colormap: 'Viridis', zmin: 0 },
      },
    });
  });

  it.each(['appendRow', 'appendColumn', 'prependRow', 'prependColumn'] as const)('sends the %s edge op', (edge) => {
    const plan = planHeatmap({ z: [[1, 2]] }, { win: 'cm', update: edge }, 'main');
    expect('update' in plan && plan.update).toMatchObject({ env: 'main', win: 'cm', op: { type: 'heatmap', edge, z: [[1, 2]] } });
    expect('update' in plan && plan.update.orCreate?.content).toMatchObject({ kind: 'plot' });
    expect('update' in plan && WindowUpdateRequestSchema.safeParse(plan.update).success).toBe(true);
  });
});

describe('planText', () => {
  it('creates or replaces a text pane', () => {
    expect(planText('<b>hi</b>', { win: 'log', title: 'Log' }, 'main')).toEqual({
      create: { env: 'main', win: 'log', content: { kind: 'text', text: '<b>hi</b>' }, opts: { title: 'Log' } },
    });
  });

  it('appends with appendText, carrying the pane to create if it is missing', () => {
    expect(planText('more', { win: 'log', append: true, env: 'e' }, 'main')).toEqual({
      update: { env: 'e', win: 'log', op: { type: 'appendText', text: 'more' }, orCreate: { content: { kind: 'text', text: 'more' } } },
    });
    expect(() => planText('x', { append: true }, 'main')).toThrow('win: append needs the window id');
    expect(() => planText(3 as unknown as string, {}, 'main')).toThrow('text: must be a string, got number');
  });
});
