// Every library function, fed nulls, empty values and values of the wrong shape, returns a value or
// raises a KqlError (a clear message for the user) — never a JavaScript TypeError or a hang.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { KqlError } from '../../../src/core/errors';
import type { KqlType } from '../../../src/core/types';
import { getScalarFunction, scalarFunctionNames } from '../../../src/core/kql/functions/registry';
import { NOW } from './helpers';

const SAMPLES: [unknown, KqlType][] = [
  [null, 'string'], [null, 'long'], [null, 'datetime'], [null, 'dynamic'], ['', 'string'], ['abc', 'string'],
  ['1.2.3.4', 'string'], [0, 'long'], [-1, 'long'], [2.5, 'real'], [NaN, 'real'], [Infinity, 'real'], [true, 'bool'],
  [1e15, 'datetime'], [-3.6e9, 'timespan'], [[], 'dynamic'], [[1, 'a', null], 'dynamic'], [{ a: { b: 1 } }, 'dynamic'],
  ['{"a":1}', 'dynamic'], ['0123456789abcdef0123456789abcdef', 'guid'],
];

// A fixed seed keeps CI reproducible; SWB_FUZZ_SEED=<n> explores other inputs.
const FUZZ_SEED = Number(process.env.SWB_FUZZ_SEED ?? 20261127);

function attempt(name: string, args: [unknown, KqlType][]): void {
  const fn = getScalarFunction(name)!;
  try {
    const out = fn.call(args.map((a) => a[0]), { argTypes: args.map((a) => a[1]), resultType: 'dynamic', nowMicros: NOW });
    assert.notEqual(out, undefined, `${name} returned undefined`);
  } catch (e) {
    if (!(e instanceof KqlError)) {
      throw new Error(`${name}(${args.map((a) => `${JSON.stringify(a[0])}:${a[1]}`).join(', ')}) threw ${(e as Error).stack}`);
    }
  }
}

describe('kql functions: robustness', () => {
  it('has a sizeable library with the functions rules use most', () => {
    const names = new Set(scalarFunctionNames());
    for (const n of ['ago', 'tostring', 'parse_json', 'split', 'strcat', 'tolower', 'bin', 'extract', 'todatetime', 'case', 'array_length', 'startofday', 'toint', 'ipv4_is_private', 'pack', 'datetime_diff', 'totimespan', 'toupper', 'tolong', 'strlen', 'format_datetime', 'make_datetime', 'coalesce', 'replace_string', 'trim', 'substring', 'bag_keys']) {
      assert.ok(names.has(n), n);
    }
    assert.ok(names.size > 250, `only ${names.size} functions`);
  });

  it('every function survives null, empty and mistyped arguments at arities 0-4', () => {
    for (const name of scalarFunctionNames()) {
      attempt(name, []);
      for (const a of SAMPLES) {
        attempt(name, [a]);
        for (const b of SAMPLES) attempt(name, [a, b]);
      }
      for (const a of SAMPLES.slice(0, 8)) attempt(name, [a, a, a]);
      attempt(name, [SAMPLES[5], SAMPLES[7], SAMPLES[8], SAMPLES[9]]);
    }
  }).timeout(60000);

  it('random arguments never crash a function', () => {
    const names = scalarFunctionNames();
    const value = fc.oneof(
      fc.constant(null), fc.string(), fc.integer(), fc.double(), fc.boolean(),
      fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 5 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 3 }),
    );
    const type = fc.constantFrom<KqlType>('string', 'long', 'int', 'real', 'bool', 'datetime', 'timespan', 'dynamic', 'guid');
    // A hang would trip mocha's timeout; timing single calls here would make shrinking re-run slow cases.
    fc.assert(fc.property(fc.constantFrom(...names), fc.array(fc.tuple(value, type), { maxLength: 4 }), (name, args) => {
      attempt(name, args as [unknown, KqlType][]);
    }), { numRuns: 5000, seed: FUZZ_SEED });
  }).timeout(120000);
});
