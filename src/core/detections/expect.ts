// Compares what a case expects with what the rule did. Every failure says what differed, and the
// expected/actual pair is rendered in the same shape so an editor can show it as a diff.
import { parseDatetime } from '../columnar/convert';
import type { QueryResult } from '../types';
import type { Alert, RuleOutcome } from './alerts';
import { cellText } from './alerts';
import type { CaseExpectation, CountExpectation } from './testFile';

export interface Comparison {
  failures: string[];
  expected: string;
  actual: string;
}

const SHOWN_ROWS = 5;
const DIFF_ROWS = 20;

export function compareExpectation(expect: CaseExpectation, outcome: RuleOutcome, result: QueryResult): Comparison {
  const failures: string[] = [];
  const rows = rowObjects(result);
  const expectedView: Record<string, unknown> = {};
  const actualView: Record<string, unknown> = {};
  const alerts = outcome.alerts;

  if (expect.alerts !== undefined) {
    expectedView.alerts = expect.alerts;
    actualView.alerts = alerts.length;
    const why = countMismatch(expect.alerts, alerts.length);
    if (why) failures.push(`${why}${triggerNote(outcome)}`);
  }
  if (expect.rows) {
    expectedView.rows = expect.rows;
    const columns = [...new Set(expect.rows.flatMap((r) => Object.keys(r)))];
    actualView.rows = rows.slice(0, DIFF_ROWS).map((r) => pick(r, columns));
    const have = new Set(result.columns.map((c) => c.name));
    const absent = columns.filter((c) => !have.has(c));
    if (absent.length) {
      failures.push(
        `the result has no column ${absent.map((c) => `'${c}'`).join(', ')} (it has ${result.columns.map((c) => c.name).join(', ') || 'none'})`,
      );
    } else {
      for (const want of expect.rows) {
        if (!rows.some((r) => matches(want, r)))
          failures.push(`missing row ${JSON.stringify(want)}; ${describeRows(rows)}`);
      }
    }
  }
  if (expect.entities) {
    const produced = alerts.flatMap((a) => a.entities);
    expectedView.entities = expect.entities;
    actualView.entities = dedupe(produced);
    for (const want of expect.entities) {
      if (!produced.some((e) => entityMatches(want, e))) {
        failures.push(
          `missing entity ${JSON.stringify(want)}; the alerts carry ${produced.length ? JSON.stringify(dedupe(produced).slice(0, SHOWN_ROWS)) : 'no entities'}`,
        );
      }
    }
  }
  if (expect.customDetails) {
    expectedView.customDetails = expect.customDetails;
    actualView.customDetails = alerts.map((a) => a.customDetails);
    for (const want of expect.customDetails) {
      if (
        !alerts.some((a) =>
          Object.entries(want).every(([k, v]) => (a.customDetails[k] ?? []).some((x) => sameValue(v, x))),
        )
      ) {
        failures.push(
          `no alert has the custom details ${JSON.stringify(want)}; ${alerts.length ? `got ${JSON.stringify(alerts.slice(0, SHOWN_ROWS).map((a) => a.customDetails))}` : 'the rule raised no alert'}`,
        );
      }
    }
  }
  if (expect.alertDetails) {
    expectedView.alertDetails = expect.alertDetails;
    actualView.alertDetails = alerts.map(alertDetails);
    for (const want of expect.alertDetails) {
      if (!alerts.some((a) => alertMatches(want, a))) {
        failures.push(
          `no alert has ${JSON.stringify(want)}; ${alerts.length ? `got ${JSON.stringify(alerts.slice(0, SHOWN_ROWS).map(alertDetails))}` : 'the rule raised no alert'}`,
        );
      }
    }
  }
  return { failures, expected: JSON.stringify(expectedView, null, 2), actual: JSON.stringify(actualView, null, 2) };
}

function countMismatch(want: CountExpectation, got: number): string | undefined {
  const plural = (n: number) => `${n} alert${n === 1 ? '' : 's'}`;
  if (typeof want === 'number') return want === got ? undefined : `expected ${plural(want)}, got ${got}`;
  if (want.min !== undefined && got < want.min) return `expected at least ${plural(want.min)}, got ${got}`;
  if (want.max !== undefined && got > want.max) return `expected at most ${plural(want.max)}, got ${got}`;
  return undefined;
}

function triggerNote(o: RuleOutcome): string {
  return ` (the query returned ${o.rowCount} row${o.rowCount === 1 ? '' : 's'}${o.fired ? '' : ', so the trigger did not fire'})`;
}

export function rowObjects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

function describeRows(rows: Record<string, unknown>[]): string {
  if (!rows.length) return 'the query returned no rows';
  const shown = rows
    .slice(0, SHOWN_ROWS)
    .map((r) => JSON.stringify(r))
    .join('; ');
  return `the query returned ${rows.length} row${rows.length === 1 ? '' : 's'}: ${shown}${rows.length > SHOWN_ROWS ? '; …' : ''}`;
}

function pick(row: Record<string, unknown>, columns: string[]): Record<string, unknown> {
  return Object.fromEntries(columns.filter((c) => c in row).map((c) => [c, row[c]]));
}

function matches(want: Record<string, unknown>, row: Record<string, unknown>): boolean {
  return Object.entries(want).every(([k, v]) => sameValue(v, row[k]));
}

/** Loose equality for fixture-written values: numbers and strings by text, datetimes by instant, dynamic by JSON. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined || actual === '';
  if (expected instanceof Date) expected = expected.toISOString();
  if (typeof expected === 'object')
    return canonical(expected) === canonical(typeof actual === 'string' ? tryJson(actual) : actual);
  const e = String(expected);
  const a = cellText(actual);
  if (e === a) return true;
  if (typeof expected === 'number' && typeof actual === 'number') return expected === actual;
  if (typeof expected === 'boolean' || typeof actual === 'boolean') return e.toLowerCase() === a.toLowerCase();
  if (/^\d{4}-\d\d-\d\d/.test(e) && /^\d{4}-\d\d-\d\d/.test(a)) {
    const x = parseDatetime(e);
    const y = parseDatetime(a);
    return x !== null && x === y;
  }
  return false;
}

function entityMatches(want: Record<string, unknown>, e: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => {
    const got = e[k];
    return got !== undefined && String(v).toLowerCase() === got.toLowerCase();
  });
}

function alertDetails(a: Alert) {
  return { displayName: a.displayName, description: a.description, severity: a.severity, tactics: a.tactics };
}

function alertMatches(
  want: { displayName?: string; description?: string; severity?: string; tactics?: string[] },
  a: Alert,
): boolean {
  if (want.displayName !== undefined && want.displayName !== a.displayName) return false;
  if (want.description !== undefined && want.description !== a.description) return false;
  if (want.severity !== undefined && want.severity.toLowerCase() !== (a.severity ?? '').toLowerCase()) return false;
  if (want.tactics !== undefined && want.tactics.join(',') !== a.tactics.join(',')) return false;
  return true;
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
