// The three shapes of a `swb test` run: the JSON contract, text for people, JUnit XML for CI.
import type { CaseResult, FileResult } from './runner';

export interface TestReport {
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  cases: {
    file: string;
    rule: string;
    case: string;
    status: CaseResult['status'];
    message: string;
    durationMs: number;
  }[];
}

export function buildReport(files: FileResult[]): TestReport {
  const cases = files.flatMap((f) => f.cases);
  return {
    tests: cases.length,
    passed: cases.filter((c) => c.status === 'passed').length,
    failed: cases.filter((c) => c.status === 'failed').length,
    errors: cases.filter((c) => c.status === 'error').length,
    cases: cases.map((c) => ({
      file: c.file,
      rule: c.rule,
      case: c.case,
      status: c.status,
      message: c.message,
      durationMs: c.durationMs,
    })),
  };
}

/** 0 all passed, 1 some failed or errored, 2 some file was bad input. */
export function exitCode(files: FileResult[]): number {
  if (files.some((f) => f.badInput)) return 2;
  return files.some((f) => f.cases.some((c) => c.status !== 'passed')) ? 1 : 0;
}

export function reportText(files: FileResult[], totalMs: number): string {
  const lines: string[] = [];
  for (const f of files) {
    lines.push(f.file);
    for (const c of f.cases) {
      const mark = c.status === 'passed' ? 'ok  ' : c.status === 'failed' ? 'FAIL' : 'ERR ';
      lines.push(`  ${mark} ${c.case || '(file)'}${c.case ? ` (${c.durationMs} ms)` : ''}`);
      if (c.message) for (const m of c.message.split('\n')) lines.push(`       ${m}`);
    }
  }
  const r = buildReport(files);
  lines.push('');
  lines.push(
    `${r.tests} test${r.tests === 1 ? '' : 's'}: ${r.passed} passed, ${r.failed} failed, ${r.errors} error${r.errors === 1 ? '' : 's'} (${Math.round(totalMs)} ms)`,
  );
  return lines.join('\n') + '\n';
}

// XML 1.0 allows tab, LF, CR and characters from U+0020 up (minus surrogates and U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are control characters
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD]/g;

function xml(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit XML: one <testsuite> per test file, one <testcase> per case (a broken file is one errored case). */
export function reportJunit(files: FileResult[], totalMs: number): string {
  const r = buildReport(files);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="swb test" tests="${r.tests}" failures="${r.failed}" errors="${r.errors}" time="${secs(totalMs)}">`,
  );
  for (const f of files) {
    const failures = f.cases.filter((c) => c.status === 'failed').length;
    const errors = f.cases.filter((c) => c.status === 'error').length;
    const time = f.cases.reduce((a, c) => a + c.durationMs, 0);
    out.push(
      `  <testsuite name="${xml(f.file)}" tests="${f.cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${secs(time)}">`,
    );
    for (const c of f.cases) {
      const name = c.case || '(test file)';
      const open = `    <testcase classname="${xml(f.file)}" name="${xml(name)}" time="${secs(c.durationMs)}"`;
      if (c.status === 'passed') {
        out.push(`${open}/>`);
        continue;
      }
      const tag = c.status === 'failed' ? 'failure' : 'error';
      out.push(`${open}>`);
      out.push(
        `      <${tag} message="${xml(c.message.split('\n')[0])}" type="${tag === 'failure' ? 'AssertionError' : 'TestError'}">${xml(c.message)}</${tag}>`,
      );
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
