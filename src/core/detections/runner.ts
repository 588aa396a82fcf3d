// Runs detection test files: one engine for the whole run (parser warm, plans cached), a fresh in-memory
// lake of fixtures per case, the rule run as Sentinel runs it (queryPeriod ending at `now`, trigger,
// alert grouping, entity mappings). A broken test file or a rule that cannot be found is bad input for
// that file only; the other files still run.
import { promises as fs } from 'fs';
import * as path from 'path';
import { KqlError, throwIfAborted, UserError } from '../errors';
import { createEngine, KqlEngine } from '../kql/engine';
import type { ColumnarTable } from '../columnar/columns';
import { parseDatetime } from '../columnar/convert';
import type { Lake } from '../lake/lake';
import { displayPath } from '../migration/ruleSources';
import { Logger, QueryResult, silentLogger } from '../types';
import { evaluateRule, MappingError } from './alerts';
import { compareExpectation } from './expect';
import { FixtureCache, FixtureLake, latestTime, normaliseSchema, SchemaMap } from './fixtures';
import { queryPositionMap } from './queryPosition';
import { DetectionRule, detectionRuleFromText, lookbackMs } from './rule';
import { DetectionTestCase, DetectionTestFile, parseTestFile } from './testFile';

export type CaseStatus = 'passed' | 'failed' | 'error';

export interface CaseResult {
  /** The test file as shown (relative to cwd). */
  file: string;
  /** The rule's title, or its path when it could not be loaded. */
  rule: string;
  /** The case's name; empty for an error of the whole file. */
  case: string;
  status: CaseStatus;
  message: string;
  durationMs: number;
  /** 1-based line of the case in the test file. */
  line: number;
  /** Expected and actual in the same JSON shape, for a diff. */
  expected?: string;
  actual?: string;
  /** The rule's result (first rows), to look at. */
  result?: QueryResult;
}

export interface FileResult {
  file: string;
  /** The test file could not be read or parsed, or its rule/fixtures/schema could not be loaded. */
  badInput: boolean;
  cases: CaseResult[];
}

export interface RunnerOptions {
  cwd?: string;
  logger?: Logger;
  /** Extra column types (lake schema.json shape) for every test file. */
  schema?: SchemaMap;
  /** Most rows of a rule's result kept on a case result. */
  keepRows?: number;
}

export interface RunFileOptions {
  /** Runs only the cases it accepts. */
  include?: (testCase: DetectionTestCase, rule: string) => boolean;
  signal?: AbortSignal;
  /** Called after every case, as soon as it finished. */
  onCase?: (result: CaseResult) => void;
  /** Text of the test file to use instead of the file on disk (an unsaved editor). */
  text?: string;
}

export { testInputs } from './inputs';

/** A Lake whose tables are swapped per case, so one engine serves the whole run. */
class CaseLake implements Lake {
  current: FixtureLake = new FixtureLake(new Map(), {});
  readonly dir = '<fixtures>';
  readonly name = 'fixtures';
  readonly workspaceId = 'fixtures';
  tableNames() {
    return this.current.tableNames();
  }
  hasTable(n: string) {
    return this.current.hasTable(n);
  }
  tables() {
    return this.current.tables();
  }
  columns(t: string) {
    return this.current.columns(t);
  }
  info() {
    return this.current.info();
  }
  appendRows() {
    return this.current.appendRows();
  }
  loadTable(t: string) {
    return this.current.loadTable(t);
  }
}

export class DetectionTestRunner {
  private readonly lake = new CaseLake();
  private readonly engine: KqlEngine;
  private readonly fixtures = new FixtureCache();
  private readonly cwd: string;
  private readonly keepRows: number;

  constructor(private readonly options: RunnerOptions = {}) {
    this.cwd = options.cwd ?? process.cwd();
    this.keepRows = options.keepRows ?? 200;
    this.engine = createEngine(this.lake, { logger: options.logger ?? silentLogger });
  }

  async runFile(absFile: string, run: RunFileOptions = {}): Promise<FileResult> {
    const shown = displayPath(absFile, this.cwd);
    const fileError = (message: string, rule = '', line = 1): FileResult => ({
      file: shown,
      badInput: true,
      cases: [{ file: shown, rule, case: '', status: 'error', message, durationMs: 0, line }],
    });
    let text = run.text;
    if (text === undefined) {
      try {
        text = await fs.readFile(absFile, 'utf8');
      } catch (e) {
        return fileError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    const parsed = parseTestFile(text);
    if (!parsed.test) {
      const message = parsed.problems.map((p) => `${shown}:${p.line}:${p.column}: ${p.message}`).join('\n');
      return fileError(message, '', parsed.problems[0].line);
    }
    const test = parsed.test;
    const dir = path.dirname(absFile);
    const ruleAbs = path.resolve(dir, test.rule);
    let rule: DetectionRule;
    let ruleText: string;
    try {
      ruleText = await fs.readFile(ruleAbs, 'utf8');
    } catch {
      return fileError(
        `${shown}: rule not found: ${test.rule} (resolved to ${displayPath(ruleAbs, this.cwd)})`,
        test.rule,
      );
    }
    let schema: SchemaMap;
    let shared: Map<string, ColumnarTable>;
    try {
      rule = detectionRuleFromText(displayPath(ruleAbs, this.cwd), ruleText, test.ruleId);
      schema = { ...(this.options.schema ?? {}), ...(await this.loadSchema(test, dir)) };
      shared = await this.loadTables(test.tables, dir, schema);
    } catch (e) {
      if (e instanceof UserError) return fileError(`${shown}: ${e.message}`, test.rule);
      throw e;
    }
    const cases: CaseResult[] = [];
    for (const c of test.cases) {
      if (run.include && !run.include(c, rule.title)) continue;
      throwIfAborted(run.signal);
      const result = await this.runCase(shown, test, c, rule, ruleText, shared, schema, dir, run.signal);
      cases.push(result);
      run.onCase?.(result);
    }
    return { file: shown, badInput: false, cases };
  }

  private async loadSchema(test: DetectionTestFile, dir: string): Promise<SchemaMap> {
    if (test.schema === undefined) return {};
    if (typeof test.schema !== 'string') return normaliseSchema(test.schema, 'schema');
    const file = path.resolve(dir, test.schema);
    let raw: unknown;
    try {
      raw = JSON.parse((await fs.readFile(file, 'utf8')).replace(/^\ufeff/, ''));
    } catch (e) {
      throw new UserError(
        `schema ${test.schema}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message}`,
      );
    }
    return normaliseSchema(raw, test.schema);
  }

  private async loadTables(
    tables: DetectionTestFile['tables'],
    dir: string,
    schema: SchemaMap,
  ): Promise<Map<string, ColumnarTable>> {
    const out = new Map<string, ColumnarTable>();
    for (const [name, src] of Object.entries(tables ?? {}))
      out.set(name, await this.fixtures.table(name, src, dir, schema));
    return out;
  }

  private async runCase(
    file: string,
    test: DetectionTestFile,
    c: DetectionTestCase,
    rule: DetectionRule,
    ruleText: string,
    shared: Map<string, ColumnarTable>,
    schema: SchemaMap,
    dir: string,
    signal?: AbortSignal,
  ): Promise<CaseResult> {
    const t0 = performance.now();
    const base = { file, rule: rule.title, case: c.name, line: c.line };
    const done = (status: CaseResult['status'], message: string, extra: Partial<CaseResult> = {}): CaseResult => ({
      ...base,
      status,
      message,
      durationMs: Math.round((performance.now() - t0) * 10) / 10,
      ...extra,
    });
    let result: QueryResult;
    try {
      const tables = new Map(shared);
      for (const [name, t] of await this.loadTables(c.tables, dir, schema)) tables.set(name, t);
      const now = this.nowFor(c.now ?? test.now, tables.values());
      this.lake.current = new FixtureLake(tables, schema);
      const start = new Date(now.getTime() - lookbackMs(rule));
      result = await this.engine.execute(rule.query, { now, timeRange: { start, end: now }, signal, maxRows: 100_000 });
    } catch (e) {
      if (e instanceof KqlError && e.position) {
        const at = queryPositionMap(rule.file, ruleText)(e.position.line, e.position.column);
        return done('error', `${rule.file}:${at.line}:${at.column}: ${e.message}`);
      }
      if (e instanceof UserError) return done('error', e.message);
      throw e;
    }
    const kept: QueryResult = { ...result, rows: result.rows.slice(0, this.keepRows) };
    let outcome;
    try {
      outcome = evaluateRule(rule, result);
    } catch (e) {
      if (e instanceof MappingError) return done('error', e.message, { result: kept });
      throw e;
    }
    const cmp = compareExpectation(c.expect, outcome, result);
    if (!cmp.failures.length) return done('passed', '', { result: kept });
    return done('failed', cmp.failures.join('\n'), { expected: cmp.expected, actual: cmp.actual, result: kept });
  }

  private nowFor(given: string | undefined, tables: Iterable<ColumnarTable>): Date {
    if (given !== undefined) {
      const us = parseDatetime(given);
      if (us === null) throw new UserError(`now is not an ISO-8601 date-time: ${given}`);
      return new Date(us / 1000);
    }
    const latest = latestTime(tables);
    return new Date((latest ?? Date.now()) + 60_000);
  }
}
