// The detection test file (`*.test.yaml`): which rule, the fixture tables, and cases with what each
// expects. Parsing is pure (yaml + zod, no engine) so the extension host can list cases cheaply; every
// problem comes back with the line it is on, and parsing never throws for bad input.
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { z } from 'zod';

export { isTestFile } from './outline';

const row = z.record(z.unknown());
/** A table is inline rows or a path (relative to the test file) of a .jsonl, .csv or .json file. */
const table = z.union([z.string().min(1), z.array(row)]);
const tables = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a table name is letters, digits and _'), table);
const count = z.union([
  z.number().int().nonnegative(),
  z
    .object({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, 'give min, max or both'),
]);
const dateTime = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString() : v));

const expectSchema = z
  .object({
    alerts: count.optional(),
    rows: z.array(row).optional(),
    entities: z.array(z.object({ type: z.string().min(1) }).catchall(z.unknown())).optional(),
    customDetails: z.array(row).optional(),
    alertDetails: z
      .array(
        z
          .object({
            displayName: z.string().optional(),
            description: z.string().optional(),
            severity: z.string().optional(),
            tactics: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .refine(
    (e) => Object.keys(e).length > 0,
    'say what the case expects (alerts, rows, entities, customDetails or alertDetails)',
  );

const caseSchema = z
  .object({
    name: z.string().min(1),
    now: dateTime.optional(),
    tables: tables.optional(),
    expect: expectSchema,
  })
  .strict();

const fileSchema = z
  .object({
    rule: z.string().min(1),
    ruleId: z.string().min(1).optional(),
    now: dateTime.optional(),
    /** Column types for tables without a built-in schema: a path to a lake `schema.json`, or inline. */
    schema: z.union([z.string().min(1), z.record(z.record(z.string()))]).optional(),
    tables: tables.optional(),
    cases: z.array(caseSchema).min(1, 'a test file needs at least one case'),
  })
  .strict();

export type TableSource = z.infer<typeof table>;
export type CountExpectation = z.infer<typeof count>;
export type CaseExpectation = z.infer<typeof expectSchema>;
export type DetectionTestCase = z.infer<typeof caseSchema> & { line: number };
export type DetectionTestFile = Omit<z.infer<typeof fileSchema>, 'cases'> & { cases: DetectionTestCase[] };

export interface TestFileProblem {
  message: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface ParsedTestFile {
  test?: DetectionTestFile;
  problems: TestFileProblem[];
}

/** Parses and validates a test file's text. */
export function parseTestFile(text: string): ParsedTestFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line || 1, column: p.col || 1 };
  };
  if (doc.errors.length) {
    return { problems: doc.errors.map((e) => ({ message: `YAML: ${e.message.split('\n')[0]}`, ...at(e.pos[0]) })) };
  }
  const js = doc.toJS({ maxAliasCount: 50 }) as unknown;
  const parsed = fileSchema.safeParse(js);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const node = nodeAt(doc.contents as YamlNode | null, issue.path);
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return { message: `${where}${issueText(issue)}`, ...at(node?.range?.[0]) };
    });
    return { problems };
  }
  const caseNodes = doc.get('cases', true);
  const cases = parsed.data.cases.map((c, i) => {
    const n = isSeq(caseNodes) ? (caseNodes.items[i] as YamlNode | undefined) : undefined;
    return { ...c, line: at(n?.range?.[0]).line };
  });
  const names = new Set<string>();
  const problems: TestFileProblem[] = [];
  for (const c of cases) {
    if (names.has(c.name))
      problems.push({ message: `two cases are named "${c.name}"; case names must be unique`, line: c.line, column: 1 });
    names.add(c.name);
  }
  if (problems.length) return { problems };
  return { test: { ...parsed.data, cases }, problems };
}

function issueText(issue: z.ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'is required';
  if (issue.code === 'invalid_union')
    return 'expected a path to a .jsonl/.csv/.json file or a list of rows (or a number / {min, max} for a count)';
  return issue.message;
}

function nodeAt(root: YamlNode | null, path: (string | number)[]): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  let found: YamlNode | undefined = root ?? undefined;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true) as YamlNode | undefined;
    else if (isSeq(node) && typeof key === 'number') node = node.items[key] as YamlNode | undefined;
    else break;
    if (!node) break;
    found = node;
  }
  return found;
}
