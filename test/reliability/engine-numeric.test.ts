// Numeric conversions at the edges (far-out datetimes, huge reals, non-finite values) give a value or
// null, never a RangeError from BigInt, Date or toFixed.
import { strict as assert } from 'assert';
import { KqlError } from '../../src/core/errors';
import { getScalarFunction, scalarFunctionNames } from '../../src/core/kql/functions/registry';
import type { KqlType } from '../../src/core/types';
import { rows } from './engineSupport';

const EDGES = [
  1.7976931348623157e308,
  -1.7976931348623157e308,
  5e-324,
  9.2e18,
  -9.2e18,
  2 ** 53,
  Infinity,
  -Infinity,
  NaN,
];

describe('reliability: numeric edges', function () {
  this.timeout(60000);

  it('hash() and hash_xxhash64() of datetimes and numbers near ±1.79e308 answer', () => {
    for (const name of ['hash', 'hash_xxhash64']) {
      const f = getScalarFunction(name)!;
      for (const v of EDGES) {
        for (const t of ['datetime', 'long', 'real'] as KqlType[]) {
          try {
            f.call([v], { argTypes: [t], resultType: 'long', nowMicros: 0 });
            f.call([v, 10], { argTypes: [t, 'long'], resultType: 'long', nowMicros: 0 });
          } catch (e) {
            if (!(e instanceof KqlError)) throw new Error(`${name}(${v}:${t}) threw ${(e as Error).stack}`);
          }
        }
      }
    }
  });

  it('every function given edge numbers of every numeric type returns or raises a KqlError', () => {
    const types: KqlType[] = ['long', 'int', 'real', 'datetime', 'timespan', 'decimal'];
    for (const name of scalarFunctionNames()) {
      const f = getScalarFunction(name)!;
      for (const v of EDGES)
        for (const t of types) {
          for (const args of [[v], [v, v], [v, 2], ['abc', v], [v, v, v]]) {
            try {
              f.call(args, {
                argTypes: args.map((a) => (typeof a === 'string' ? 'string' : t)),
                resultType: 'dynamic',
                nowMicros: 0,
              });
            } catch (e) {
              if (!(e instanceof KqlError))
                throw new Error(`${name}(${args.join(', ')} as ${t}) threw ${(e as Error).stack}`);
            }
          }
        }
    }
  });

  it('a datetime pushed far out by arithmetic hashes to null instead of failing the query', async () => {
    assert.deepEqual(
      await rows(
        'print h = hash(datetime(2026-01-01) + 1000000000000d * 1e290), x = hash_xxhash64(datetime(2026-01-01))',
      ),
      [[null, (await rows('print hash(datetime(2026-01-01))'))[0][0]]],
    );
  });
});
