// In-host test runner: mocha inside a real VS Code extension host, with the real `vscode` API.
// Two launchers load it:
// - `npm run test:electron` (scripts/test-electron.js): @vscode/test-electron downloads desktop VS Code
//   and calls run() as its extensionTestsPath;
// - `npm test` (scripts/host-tests.js): code-server, where this file is the main of a small companion
//   extension whose activate() calls run(); the results go to the file named in config.json.
// Both run the same suite files (test/host/suite/*.test.ts, bundled next to this file).
import * as fs from 'fs';
import * as path from 'path';

interface RunnerConfig {
  /** Absolute path of mocha in the project's node_modules. */
  mocha: string;
  /** Where to write the results (code-server launcher); empty for test-electron. */
  resultsFile?: string;
  timeoutMs?: number;
  grep?: string;
}

export interface HostResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; message?: string }[];
  pendingTitles: string[];
  log: string[];
}

function readConfig(): RunnerConfig {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8')) as RunnerConfig;
}

export function run(): Promise<void> {
  const config = readConfig();
  const Mocha = require(config.mocha) as typeof import('mocha');
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: config.timeoutMs ?? 60_000,
    color: false,
    reporter: 'spec',
    grep: config.grep || undefined,
  });
  const suiteDir = path.join(__dirname, 'suite');
  for (const f of fs
    .readdirSync(suiteDir)
    .filter((n) => n.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(suiteDir, f));
  const results: HostResults = { passed: 0, failed: 0, pending: 0, failures: [], pendingTitles: [], log: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (config.resultsFile) fs.writeFileSync(config.resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      results.passed++;
      results.log.push(`✔ ${t.fullTitle()}`);
    });
    runner.on('pending', (t) => {
      results.pending++;
      results.pendingTitles.push(t.fullTitle());
    });
    runner.on('fail', (t, err) => {
      results.failed++;
      results.failures.push({
        title: t.fullTitle(),
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      results.log.push(`✗ ${t.fullTitle()}`);
    });
  });
}

/** The companion extension's entry (code-server launcher). */
export function activate(): void {
  run().catch(() => undefined);
}
