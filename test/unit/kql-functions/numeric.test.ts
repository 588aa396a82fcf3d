import { strict as assert } from 'assert';
import { call } from './helpers';

const R = 'real' as const;
const close = (a: unknown, b: number) =>
  assert.ok(Math.abs((a as number) - b) < 1e-9 * Math.max(1, Math.abs(b)), `${a} ≈ ${b}`);

describe('kql functions: math', () => {
  it('round rounds half away from zero, with digits', () => {
    assert.equal(call('round', [2.5], [R], R), 3);
    assert.equal(call('round', [-2.5], [R], R), -3);
    assert.equal(call('round', [1234.5678, 2], [R, 'long'], R), 1234.57);
    assert.equal(call('round', [1234.5678, -2], [R, 'long'], R), 1200);
    assert.equal(call('round', [null], [R], R), null);
  });

  it('basic functions propagate null and follow result types', () => {
    assert.equal(call('abs', [-5], ['long'], 'long'), 5);
    assert.equal(call('ceiling', [-1.1], [R], R), -1);
    assert.equal(call('sign', [-42], ['long'], 'long'), -1);
    assert.equal(call('pow', [2, 3], ['long', 'long'], R), 8);
    assert.equal(call('sqrt', [null], [R], R), null);
    assert.ok(Number.isNaN(call('sqrt', [-1], [R], R) as number));
    close(call('log', [5], [R], R), 1.6094379124341003);
    close(call('log10', [5], [R], R), 0.69897000433601886);
    close(call('log2', [5], [R], R), 2.3219280948873622);
    close(call('exp', [2], [R], R), 7.38905609893065);
    close(call('atan2', [1, 1], [R, R], R), Math.PI / 4);
  });

  it('gamma, loggamma and erf match reference values', () => {
    close(call('gamma', [5], [R], R), 24);
    close(call('loggamma', [5], [R], R), 3.1780538303479458);
    assert.ok(Math.abs((call('erf', [1], [R], R) as number) - 0.842700792949715) < 1e-12);
    assert.ok(Math.abs((call('erfc', [3], [R], R) as number) - 2.20904969985854e-5) < 1e-15);
  });

  it('binary functions work on 64-bit longs', () => {
    assert.equal(call('binary_and', [6, 3], ['long', 'long'], 'long'), 2);
    assert.equal(call('binary_xor', [1, 3], ['long', 'long'], 'long'), 2);
    assert.equal(call('binary_not', [100], ['long'], 'long'), -101);
    assert.equal(call('binary_shift_left', [1, 2], ['long', 'long'], 'long'), 4);
    assert.equal(call('binary_shift_right', [8, 3], ['long', 'long'], 'long'), 1);
    assert.equal(call('bitset_count_ones', [42], ['long'], 'long'), 3);
  });

  it('unit conversions and beta distribution', () => {
    close(call('convert_length', [1.2, 'Meter', 'Foot'], [R, 'string', 'string'], R), 3.93700787401575);
    close(call('convert_temperature', [1.2, 'Kelvin', 'DegreeCelsius'], [R, 'string', 'string'], R), -271.95);
    close(call('convert_speed', [1.2, 'MeterPerSecond', 'CentimeterPerHour'], [R, 'string', 'string'], R), 432000);
    assert.equal(call('convert_mass', [1, 'Kilogram', 'Parsec'], [R, 'string', 'string'], R), null);
    assert.ok(Math.abs((call('beta_cdf', [0.9, 10, 20], [R, R, R], R) as number) - 0.999999999999959) < 1e-12);
    assert.ok(Math.abs((call('beta_pdf', [0.5, 10, 20], [R, R, R], R) as number) - 0.746176019310951) < 1e-9);
    assert.ok(Math.abs((call('beta_inv', [0.1, 10, 20], [R, R, R], R) as number) - 0.226415022388749) < 1e-9);
    assert.ok(Number.isNaN(call('beta_cdf', [1.5, 10, 20], [R, R, R], R) as number));
    assert.equal(call('beta_inv', [1.5, 10, 20], [R, R, R], R), null);
  });
});

describe('kql functions: series', () => {
  const D = 'dynamic' as const;
  it('element-wise math and comparisons, scalars broadcast', () => {
    assert.deepEqual(
      call(
        'series_add',
        [
          [1, 2, 4],
          [4, 2, 1],
        ],
        [D, D],
      ),
      [5, 4, 5],
    );
    assert.deepEqual(
      call(
        'series_divide',
        [
          [1, 2, 4],
          [4, 2, 1],
        ],
        [D, D],
      ),
      [0.25, 1, 4],
    );
    assert.deepEqual(call('series_multiply', [[1, 2], 3], [D, 'long']), [3, 6]);
    assert.deepEqual(
      call(
        'series_greater',
        [
          [1, 2, 4],
          [4, 2, 1],
        ],
        [D, D],
      ),
      [false, false, true],
    );
    assert.deepEqual(call('series_abs', [[-6.5, 0, null, 'x']], [D]), [6.5, 0, null, null]);
    assert.equal(call('series_add', ['x', [1]], [D, D]), null);
  });

  it('aggregates over a series', () => {
    assert.equal(call('series_sum', [[1, 2, 3, 4]], [D], R), 10);
    assert.equal(call('series_product', [[1, 2, 3, 4]], [D], R), 24);
    close(call('series_magnitude', [[1, 2, 3, 4]], [D], R), 5.4772255750516612);
    assert.equal(call('series_dot_product', [[1, 2, 4], 1], [D, 'long'], R), 7);
    close(
      call(
        'series_cosine_similarity',
        [
          [0.1, 0.2, 0.1, 0.2],
          [0.11, 0.2, 0.11, 0.21],
        ],
        [D, D],
        R,
      ),
      0.99935343825504,
    );
    const stats = call(
      'series_stats_dynamic',
      [[23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]],
      [D],
    ) as Record<string, number>;
    assert.equal(stats.min, 2);
    assert.equal(stats.max_idx, 3);
    close(stats.stdev, 28.503633853548269);
  });

  it('fills missing values', () => {
    assert.deepEqual(call('series_fill_forward', [[null, 1, null, 3, null]], [D]), [null, 1, 1, 3, 3]);
    assert.deepEqual(call('series_fill_backward', [[null, 1, null, 3, null]], [D]), [1, 1, 3, 3, null]);
    assert.deepEqual(call('series_fill_const', [[1, null], 0], [D, R]), [1, 0]);
    assert.deepEqual(call('series_fill_linear', [[null, 111, null, 36, 41, null, null, 16, null]], [D]), [
      111,
      111,
      73.5,
      36,
      41,
      32 + 2 / 3,
      24 + 1 / 3,
      16,
      16,
    ]);
    assert.deepEqual(call('series_fill_linear', [[null, null]], [D]), [0, 0]);
  });

  it('fit line, iir, seasonal', () => {
    const fit = call('series_fit_line_dynamic', [[2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]], [D]) as Record<
      string,
      number
    >;
    assert.ok(Math.abs(fit.slope - 2.73) < 0.01 && Math.abs(fit.rsquare - 0.982) < 0.001);
    assert.deepEqual(call('series_iir', [[1, 2, 3, 4], [1], [1, -1]], [D, D, D]), [1, 3, 6, 10]);
    assert.deepEqual(
      call('series_seasonal', [[1, 3, 5, 1, 3, 5, 2, 4, 6], 3], [D, 'long']),
      [1, 3, 5, 1, 3, 5, 1, 3, 5],
    );
  });
});
