// Executes a plan (ir.ts) over columnar relations. Executor (operators.ts) runs each operator; the join, make-series
// and parse families and the run loop it inherits from join.ts, series.ts, parse.ts and runner.ts, one file each.
export { Executor, sortIndex, toCol, toWire } from './operators';
export { coerceTo, parseKvText } from './parse';
export { select, take } from './runner';
export type { ExecContext } from './runner';
