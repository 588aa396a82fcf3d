// The results page charts unasked only a real time series; one row per entity with a time is a table.
import * as assert from 'assert';
import { isRealTimeSeries } from '../../src/webview/_chartShape';

describe('automatic timechart', () => {
  it('charts a daily series but not four rows of one IP each', () => {
    const days = Array.from({ length: 7 }, (_, i) => i * 86400);
    assert.strictEqual(isRealTimeSeries({ x: days, series: [{ values: [3, 5, 2, 8, 1, 0, 4] }] }), true);
    // One row per IP: four distinct first-seen times, one dot per IP series.
    const ips = {
      x: [1, 2, 3, 4],
      series: [
        { values: [1, null, null, null] },
        { values: [null, 2, null, null] },
        { values: [null, null, 3, null] },
        { values: [null, null, null, 4] },
      ],
    };
    assert.strictEqual(isRealTimeSeries(ips), false);
    // Many times but each series a single point (split by a per-row string) is not a series either.
    const x = Array.from({ length: 10 }, (_, i) => i);
    const dots = x.map((i) => ({ values: x.map((j) => (j === i ? 1 : null)) }));
    assert.strictEqual(isRealTimeSeries({ x, series: dots }), false);
  });
});
