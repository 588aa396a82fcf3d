// The table of scalar functions. Library modules add to it; registry.ts looks functions up.
import type { KqlType } from '../../types';

/** Row values inside the engine: null | string | number | boolean | dynamic (plain JS: object/array/number/string/bool/null).
 *  number covers int/long/real/decimal; datetime = epoch microseconds (number); timespan = microseconds (number); guid = string. */
export type Value = unknown;

export interface CallContext {
  argTypes: KqlType[];
  resultType: KqlType;
  nowMicros: number;
}

export interface ScalarFunction {
  name: string;
  call(args: Value[], ctx: CallContext): Value;
}

export type FunctionBody = (args: Value[], ctx: CallContext) => Value;

export const functionTable = new Map<string, ScalarFunction>();

/** Adds functions to the library. */
export function defineFunctions(defs: Record<string, FunctionBody>): void {
  for (const [name, call] of Object.entries(defs)) functionTable.set(name, { name, call });
}

/** Declares other names for an existing function (e.g. `iif` for `iff`). */
export function defineAlias(target: string, ...aliases: string[]): void {
  const fn = functionTable.get(target);
  if (!fn) throw new Error(`defineAlias: no function ${target}`);
  for (const alias of aliases) functionTable.set(alias, { name: alias, call: fn.call });
}
