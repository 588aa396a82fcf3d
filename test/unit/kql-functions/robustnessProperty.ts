// The scalar-function robustness property, shared by the unit test (fixed seeds) and `npm run fuzz`.
import fc from 'fast-check';
import { KqlError } from '../../../src/core/errors';
import type { KqlType } from '../../../src/core/types';
import { getScalarFunction, scalarFunctionNames } from '../../../src/core/kql/functions/registry';
import { NOW } from './helpers';

/** Calls a function; a KqlError is a fine answer, anything else (TypeError, RangeError) is a bug. */
export function attempt(name: string, args: [unknown, KqlType][]): void {
  const fn = getScalarFunction(name)!;
  try {
    const out = fn.call(
      args.map((a) => a[0]),
      { argTypes: args.map((a) => a[1]), resultType: 'dynamic', nowMicros: NOW },
    );
    if (out === undefined) throw new Error(`${name} returned undefined`);
  } catch (e) {
    if (!(e instanceof KqlError)) {
      throw new Error(
        `${name}(${args.map((a) => `${JSON.stringify(a[0])}:${a[1]}`).join(', ')}) threw ${(e as Error).stack}`,
      );
    }
  }
}

/** Random arguments of random types to a random library function never crash it. */
export function scalarRobustnessProperty() {
  const names = scalarFunctionNames();
  const value = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 3 }),
  );
  const type = fc.constantFrom<KqlType>(
    'string',
    'long',
    'int',
    'real',
    'bool',
    'datetime',
    'timespan',
    'dynamic',
    'guid',
  );
  return fc.property(fc.constantFrom(...names), fc.array(fc.tuple(value, type), { maxLength: 4 }), (name, args) => {
    attempt(name, args as [unknown, KqlType][]);
  });
}
