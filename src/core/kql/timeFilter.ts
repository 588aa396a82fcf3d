// A baseline's time range and the query's own time filter. The range only narrows what a query reads, so a
// query that says `TimeGenerated > ago(7d)` shows 7 days even for "last 30 days". Where the query has exactly
// one recognisable filter — `TimeGenerated > ago(…)` (or >=) or `TimeGenerated between (ago(…) .. now())` — it
// is set to the range; otherwise the header says that the query's own filter limits the range.
import type { TimeRange } from '../types';
import { commentAndStringRegions } from './lexical';

const LOWER_BOUND = /\bTimeGenerated\s*(>=|>)\s*ago\s*\(\s*([^()]+?)\s*\)/g;
const BETWEEN_NOW = /\bTimeGenerated\s+between\s*\(\s*ago\s*\(\s*([^()]+?)\s*\)\s*\.\.\s*now\s*\(\s*\)\s*\)/g;
const ANY_FILTER = /\bTimeGenerated\s*(>=|>|<=|<|between\b|==|in\b)/g;

function codeMatches(re: RegExp, text: string): RegExpExecArray[] {
  const masked = commentAndStringRegions(text);
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!masked.some(([a, b]) => m!.index >= a && m!.index < b)) out.push(m);
  }
  return out;
}

function isoLiteral(d: Date): string {
  return `datetime(${d.toISOString().replace(/\.000Z$/, 'Z')})`;
}

export interface ScopedQuery {
  query: string;
  /** Said to the user when the query's own filter was changed or limits the range. */
  note?: string;
}

export function applyRangeToQuery(query: string, range: TimeRange): ScopedQuery {
  const lower = codeMatches(LOWER_BOUND, query);
  const between = codeMatches(BETWEEN_NOW, query);
  const all = codeMatches(ANY_FILTER, query);
  if (!all.length) return { query };
  if (between.length === 1 && all.length === 1) {
    const m = between[0];
    return {
      query: `${query.slice(0, m.index)}TimeGenerated between (${isoLiteral(range.start)} .. ${isoLiteral(range.end)})${query.slice(m.index + m[0].length)}`,
      note: `The query's own filter TimeGenerated between (ago(${m[1]}) .. now()) was set to the chosen range.`,
    };
  }
  if (lower.length === 1 && all.length === 1) {
    const m = lower[0];
    const replaced = `TimeGenerated ${m[1]} ${isoLiteral(range.start)}`;
    return {
      query: query.slice(0, m.index) + replaced + query.slice(m.index + m[0].length),
      note: `The query's own filter TimeGenerated ${m[1]} ago(${m[2]}) was set to the chosen range's start.`,
    };
  }
  return {
    query,
    note: `The query filters TimeGenerated itself (${all.length} filter${all.length === 1 ? '' : 's'}), which limits the chosen range: rows outside its own filter are not shown.`,
  };
}
