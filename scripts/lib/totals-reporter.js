// Mocha reporter: the usual Spec output, plus this run's passes/failures recorded under the suite name
// (`--reporter-option suite=NAME`) in test-results/totals.json, which scripts/run-tests.js sums up.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
const TOTALS = path.resolve(__dirname, '..', '..', 'test-results', 'totals.json');

function readTotals() {
  try {
    const t = JSON.parse(fs.readFileSync(TOTALS, 'utf8'));
    return t && typeof t.suites === 'object' ? t : { suites: {} };
  } catch {
    return { suites: {} };
  }
}

function recordSuite(name, result) {
  const totals = readTotals();
  totals.suites[name] = result;
  fs.mkdirSync(path.dirname(TOTALS), { recursive: true });
  fs.writeFileSync(TOTALS, JSON.stringify(totals, null, 2) + '\n');
}

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const opts = options.reporterOption || options.reporterOptions || {};
    const suite = opts.suite || process.env.SWB_TEST_SUITE || 'tests';
    const result = { passed: 0, failed: 0, pending: 0, failures: [], pendingTitles: [] };
    runner.on(EVENT_TEST_PASS, () => result.passed++);
    runner.on(EVENT_TEST_PENDING, (test) => {
      result.pending++;
      result.pendingTitles.push(test.fullTitle());
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      result.failed++;
      result.failures.push({
        title: test.fullTitle(),
        file: test.file ? path.relative(process.cwd(), test.file) : undefined,
        message: err && err.message,
      });
    });
    runner.once(EVENT_RUN_END, () => recordSuite(suite, result));
  }
}

module.exports = TotalsReporter;
module.exports.TOTALS = TOTALS;
module.exports.readTotals = readTotals;
module.exports.recordSuite = recordSuite;
