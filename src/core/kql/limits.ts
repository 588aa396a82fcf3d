// What one query may allocate. Every operator or function that multiplies rows or cells checks its
// result against one of these before building it, and a query over a limit fails with a KqlError
// (exit code 2) that names the limit, instead of exhausting the heap.
import { KqlError } from '../errors';

export const LIMITS = {
  /** Rows produced by `range`, `mv-expand` and `mv-apply`. */
  operatorRows: 10_000_000,
  /** Rows produced by a `join`. */
  joinRows: 50_000_000,
  /** Bins of one `make-series` series. */
  seriesBins: 1_000_000,
  /** Cells of a `make-series` result: series (groups) × bins × aggregates. */
  seriesCells: 20_000_000,
  /** Elements of one dynamic array a function builds (extract_all(), array_concat(), zip()); range() stops here, as Kusto's does. */
  arrayElements: 1_048_576,
  /** Elements of make_list()/make_set() per group (Kusto's documented maximum; longer lists are truncated). */
  listElements: 1_048_576,
  /** UTF-16 units of one string a function builds (strrep(), strcat()). */
  stringLength: 16_777_216,
} as const;

const fmt = (n: number) => n.toLocaleString('en-US');

/** The error for `what` (e.g. "range() would make 2,000,000 elements") over a named limit. */
export function overLimit(what: string, limit: number): KqlError {
  return new KqlError(`${what}: over the local engine's limit of ${fmt(limit)}`, undefined, 'KqlRuntime');
}

/** Throws when a function's array result would be longer than LIMITS.arrayElements. */
export function checkArray(fn: string, length: number): void {
  if (length > LIMITS.arrayElements)
    throw overLimit(`${fn}() would make an array of ${fmt(length)} elements`, LIMITS.arrayElements);
}

/** Throws when a function's string result would be longer than LIMITS.stringLength. */
export function checkString(fn: string, length: number): void {
  if (length > LIMITS.stringLength)
    throw overLimit(`${fn}() would make a string of ${fmt(length)} characters`, LIMITS.stringLength);
}
