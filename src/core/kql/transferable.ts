// A result leaves the engine's thread by structured clone and the MCP server as JSON: both recurse, and a cell
// nested thousands of levels deep would be lost on the way (or stop the answer). Such a result is refused plainly.
import { UserError } from '../errors';
import { MAX_TRANSFER_DEPTH, tooDeepCell } from '../json';
import type { QueryResult } from '../types';

export function checkTransferable(result: QueryResult): void {
  const dynamic = result.columns.some((c) => c.type === 'dynamic');
  if (!dynamic) return;
  const at = tooDeepCell(result.rows);
  if (!at) return;
  const column = result.columns[at.column]?.name ?? `#${at.column + 1}`;
  throw new UserError(
    `the result cannot be returned: row ${at.row + 1}, column ${column} is nested more than ${MAX_TRANSFER_DEPTH.toLocaleString('en-US')} levels deep ` +
      '(project the column away or extract the part you need)',
    'ResultTooDeep',
  );
}
