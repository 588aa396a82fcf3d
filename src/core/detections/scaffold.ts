// "Create test…" on a rule file: a `*.test.yaml` beside the rule with a positive and a negative case, and
// one fixture file per table the query reads holding one row with the table's real columns, ready to edit.
// Pure: returns the files to write; the caller decides what to do with existing ones.
import * as path from 'path';
import { stringify } from 'yaml';
import type { KqlType } from '../types';
import { SchemaMap, schemaOf } from './schema';
import { detectionRuleFromText } from './rule';

export interface ScaffoldFile {
  /** Absolute path. */
  path: string;
  text: string;
}

export interface Scaffold {
  testFile: ScaffoldFile;
  fixtures: ScaffoldFile[];
  /** Tables the query names that have no known schema (no fixture was written for them). */
  unknownTables: string[];
}

const PLACEHOLDER: Record<KqlType, (now: Date) => unknown> = {
  datetime: (now) => new Date(now.getTime() - 5 * 60_000).toISOString().replace(/\.000Z$/, 'Z'),
  string: () => '',
  guid: () => '00000000-0000-0000-0000-000000000000',
  bool: () => false,
  int: () => 0,
  long: () => 0,
  real: () => 0,
  decimal: () => 0,
  timespan: () => '00:00:00',
  dynamic: () => ({}),
};

/** Names in a query that are tables with a schema, in the order they first appear. */
export function tablesOfQuery(query: string, schema: SchemaMap = {}): { known: string[]; unknown: string[] } {
  const words =
    query
      .replace(/\/\/[^\n]*/g, '')
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
      .match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const known: string[] = [];
  for (const w of words) if (!known.includes(w) && schemaOf(w, schema)) known.push(w);
  // `let X = ...;` names and names after `|` are not tables
  const unknown = [
    ...new Set([...query.matchAll(/(?:^|;|\(|\bunion\b[^|]*?,?)\s*([A-Z][A-Za-z0-9_]+)\s*\n?\s*\|/g)].map((m) => m[1])),
  ].filter((t) => !known.includes(t) && !new RegExp(`\\blet\\s+${t}\\b`).test(query));
  return { known, unknown };
}

export function scaffoldTest(
  ruleAbsPath: string,
  ruleText: string,
  options: { now?: Date; schema?: SchemaMap } = {},
): Scaffold {
  const rule = detectionRuleFromText(path.basename(ruleAbsPath), ruleText);
  const now = options.now ?? new Date();
  const schema = options.schema ?? {};
  const dir = path.dirname(ruleAbsPath);
  const base = path.basename(ruleAbsPath).replace(/\.(ya?ml|json)$/i, '');
  const fixtureDir = `${base}.fixtures`;
  const { known, unknown } = tablesOfQuery(rule.query, schema);
  const fixtures = known.map((table) => {
    const row = Object.fromEntries(
      Object.entries(schemaOf(table, schema)!).map(([col, type]) => [col, PLACEHOLDER[type](now)]),
    );
    return { path: path.join(dir, fixtureDir, `${table}.jsonl`), text: JSON.stringify(row) + '\n' };
  });
  const doc = {
    rule: `./${path.basename(ruleAbsPath)}`,
    cases: [
      {
        name: `${rule.title} fires`,
        tables: Object.fromEntries(known.map((t) => [t, `${fixtureDir}/${t}.jsonl`])),
        expect: { alerts: { min: 1 } },
      },
      {
        name: 'ordinary activity stays quiet',
        tables: Object.fromEntries(known.map((t) => [t, []])),
        expect: { alerts: 0 },
      },
    ],
  };
  const header = [
    `# Detection test for "${rule.title}".`,
    `# Edit the rows in ${fixtureDir}/ until the first case fires, and give the second case rows that must not.`,
    ...(unknown.length
      ? [`# No schema is known for ${unknown.join(', ')}: add them under tables: (rows or a file).`]
      : []),
  ].join('\n');
  return {
    testFile: { path: path.join(dir, `${base}.test.yaml`), text: `${header}\n${stringify(doc, { lineWidth: 0 })}` },
    fixtures,
    unknownTables: unknown,
  };
}
