import { WindowCreateRequestSchema, WindowUpdateRequestSchema } from '@cnnvis/protocol';
import { planTraces } from './trace-requests';
import type { WritePlan } from './request-common';

/** Every plan must be a valid wire request, or the SDK would reject it itself. */
function expectValid(plan: WritePlan): void {
  if ('create' in plan) expect(WindowCreateRequestSchema.safeParse(plan.create).success).toBe(true);
  else expect(WindowUpdateRequestSchema.safeParse(plan.update).success).toBe(true);
}

describe('planTraces without update', () => {
  it('creates a window with one line trace and the display options', () => {
    const plan = planTraces('line', { x: [1, 2], y: [3, 4] }, { win: 'loss', title: 'Loss', xlabel: 'step' }, 'main');
    expect(plan).toEqual({
      create: {
        env: 'main',
        win: 'loss',
        content: { kind: 'plot', traces: [{ name: 'trace 0', type: 'scatter', mode: 'lines', x: [1, 2], y: [3, 4] }] },
        opts: { title: 'Loss', xlabel: 'step' },
      },
    });
    expectValid(plan);
  });

  it('makes one trace per row of a 2-D y, named from the legend, then by index', () => {
    const plan = planTraces('line', { x: ['a', 'b'], y: [[1, 2], [3, 4], [5, 6]] }, { legend: ['train', 'val'], env: 'e' }, 'main');
    if (!('create' in plan)) throw new Error('expected a create');
    expect(plan.create.env).toBe('e');
    expect(plan.create.win).toBeUndefined();
    expect(plan.create.content).toMatchObject({
      traces: [
        { name: 'train', y: [1, 2], x: ['a', 'b'] },
        { name: 'val', y: [3, 4] },
        { name: 'trace 2', y: [5, 6] },
      ],
    });
    expect(plan.create.opts).toEqual({ legend: ['train', 'val'] });
    expectValid(plan);
  });

  it('uses markers for scatter and lines+markers for line with markers', () => {
    const mode = (plan: WritePlan) => ('create' in plan && plan.create.content.kind === 'plot' ? plan.create.content.traces[0]?.mode : undefined);
    expect(mode(planTraces('scatter', { x: [1], y: [1] }, {}, 'main'))).toBe('markers');
    expect(mode(planTraces('line', { x: [1], y: [1] }, { markers: true }, 'main'))).toBe('lines+markers');
    expect(mode(planTraces('line', { x: [1], y: [1] }, { markers: false }, 'main'))).toBe('lines');
  });

  it('names the single trace after `name`', () => {
    const plan = planTraces('line', { x: [1], y: [2] }, { name: 'train' }, 'main');
    expect('create' in plan && plan.create.content).toMatchObject({ traces: [{ name: 'train' }] });
  });

  it('copies typed arrays to plain arrays and turns NaN into gaps', () => {
    const plan = planTraces('line', { x: new Float64Array([0, 1, 2]), y: new Float32Array([1, NaN, Infinity]) }, {}, 'main');
    expect('create' in plan && plan.create.content).toMatchObject({ traces: [{ x: [0, 1, 2], y: [1, null, null] }] });
    expectValid(plan);
  });

  it('never sends the SDK options as display options', () => {
    const plan = planTraces('line', { x: [1], y: [1] }, { win: 'w', env: 'e', name: 'n', markers: true, title: undefined }, 'main');
    expect('create' in plan && plan.create.opts).toBeUndefined();
  });
});

describe('planTraces with update', () => {
  it('appends to a named trace in one update that carries the window to create if it is missing', () => {
    const plan = planTraces('line', { x: [3], y: [0.5] }, { win: 'loss', update: 'append', name: 'train', title: 'Loss' }, 'main');
    expect(plan).toEqual({
      update: {
        env: 'main',
        win: 'loss',
        op: { type: 'append', traces: [{ name: 'train', x: [3], y: [0.5] }] },
        orCreate: {
          content: { kind: 'plot', traces: [{ name: 'train', type: 'scatter', mode: 'lines', x: [3], y: [0.5] }] },
          opts: { title: 'Loss' },
        },
      },
    });
    expectValid(plan);
  });

  it('appends a 2-D y to traces by index; the window to create names them by index', () => {
    const plan = planTraces('line', { x: [4], y: [[1], [2]] }, { win: 'acc', update: 'append' }, 'main');
    expect('update' in plan && plan.update.op).toEqual({
      type: 'append',
      traces: [
        { index: 0, x: [4], y: [1] },
        { index: 1, x: [4], y: [2] },
      ],
    });
    expect('update' in plan && plan.update.orCreate?.content).toMatchObject({ traces: [{ name: 'trace 0' }, { name: 'trace 1' }] });
    expectValid(plan);
  });

  it('appends a 1-D y without a name to trace 0', () => {
    const plan = planTraces('scatter', { x: [1, 2], y: [3, 4] }, { win: 'w', update: 'append' }, 'main');
    expect('update' in plan && plan.update.op).toEqual({ type: 'append', traces: [{ index: 0, x: [1, 2], y: [3, 4] }] });
  });

  it('replaces with a replace op', () => {
    const plan = planTraces('line', { x: [1], y: [2] }, { win: 'w', update: 'replace', name: 'val' }, 'main');
    expect('update' in plan && plan.update.op).toEqual({ type: 'replace', traces: [{ name: 'val', x: [1], y: [2] }] });
  });

  it('removes a trace by name, without data and without a create fallback', () => {
    const plan = planTraces('line', null, { win: 'w', update: 'remove', name: 'val' }, 'main');
    expect(plan).toEqual({ update: { env: 'main', win: 'w', op: { type: 'remove', name: 'val' } } });
    expectValid(plan);
  });
});

describe('planTraces errors', () => {
  const bad = (fn: () => unknown, message: string) =>
    expect(fn).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message }));

  it('names the series whose length differs from x', () => {
    bad(() => planTraces('line', { x: [1, 2], y: [1] }, {}, 'main'), 'y: has 1 values but x has 2');
    bad(() => planTraces('line', { x: [1, 2], y: [[1, 2], [3]] }, {}, 'main'), 'y[1]: has 1 values but x has 2');
  });

  it('needs win for updates and name for remove', () => {
    bad(() => planTraces('line', { x: [1], y: [1] }, { update: 'append' }, 'main'), "win: update 'append' needs the window id");
    bad(() => planTraces('line', null, { win: 'w', update: 'remove' }, 'main'), "name: update 'remove' needs the name of the trace to remove");
  });

  it('refuses a name for several series, and missing data', () => {
    bad(() => planTraces('line', { x: [1], y: [[1], [2]] }, { name: 'a' }, 'main'), 'name: names one trace but y has 2');
    bad(() => planTraces('line', null, {}, 'main'), "data: must be { x, y } unless update is 'remove'");
  });
});
