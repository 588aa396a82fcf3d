// Scalar function library: the engine looks functions up by name and calls them row by row.
// Static argument and result types come from the official Kusto analyzer; a function never infers
// types, it reads ctx.argTypes / ctx.resultType to interpret numbers (datetime vs timespan vs long)
// and to coerce its result (int results truncated, a failed conversion gives null).
import { functionTable } from './define';
import './library';

export type { Value, CallContext, ScalarFunction } from './define';
import type { ScalarFunction } from './define';

/** The function named `name` (KQL names are case-sensitive), or undefined when the library lacks it. */
export function getScalarFunction(name: string): ScalarFunction | undefined {
  return functionTable.get(name);
}

/** Every function name the library implements (sorted). */
export function scalarFunctionNames(): string[] {
  return [...functionTable.keys()].sort();
}
