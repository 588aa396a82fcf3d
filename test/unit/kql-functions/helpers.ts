// Calls a library function the way the engine does (values + static types from the analyzer).
import type { KqlType } from '../../../src/core/types';
import { getScalarFunction } from '../../../src/core/kql/functions/registry';
import { parseDatetime, parseTimespan } from '../../../src/core/columnar/values';
import { plain } from '../plain';

export const NOW = parseDatetime('2024-08-01T12:00:00Z')!;

export function call(
  name: string,
  args: unknown[],
  argTypes: KqlType[] = [],
  resultType: KqlType = 'dynamic',
): unknown {
  const fn = getScalarFunction(name);
  if (!fn) throw new Error(`no function ${name}`);
  return plain(fn.call(args, { argTypes, resultType, nowMicros: NOW }));
}

/** Epoch microseconds of a datetime text (throws on bad input, for test brevity). */
export function dt(text: string): number {
  const v = parseDatetime(text);
  if (v === null) throw new Error(`bad datetime ${text}`);
  return v;
}

export function ts(text: string): number {
  const v = parseTimespan(text);
  if (v === null) throw new Error(`bad timespan ${text}`);
  return v;
}
