import { mapPage } from './map-page';

describe('mapPage', () => {
  test('all channels without a query; a page by from and count, clipped at the end', () => {
    expect(mapPage([128, 28, 28], {})).toEqual({ offset: 0, length: 128 * 784 });
    expect(mapPage([128, 28, 28], { from: '64', count: '64' })).toEqual({ offset: 64 * 784, length: 64 * 784 });
    expect(mapPage([128, 28, 28], { from: '127', count: '64' })).toEqual({ offset: 127 * 784, length: 784 });
    expect(mapPage([1000], { from: '0', count: '1' })).toEqual({ offset: 0, length: 1000 });
  });
  test('bad values name their field', () => {
    const issues = (q: Record<string, unknown>) => ('issues' in mapPage([4, 2, 2], q) ? (mapPage([4, 2, 2], q) as { issues: Array<{ path: string }> }).issues.map((i) => i.path) : []);
    expect(issues({ from: '4' })).toEqual(['from']);
    expect(issues({ from: '-1' })).toEqual(['from']);
    expect(issues({ from: ['1', '2'] })).toEqual(['from']);
    expect(issues({ count: '0' })).toEqual(['count']);
    expect(issues({ from: 'x', count: '1.5' })).toEqual(['from', 'count']);
  });
});
