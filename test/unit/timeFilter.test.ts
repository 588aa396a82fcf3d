// A baseline's range reaches the query's own recognisable TimeGenerated filter, or the user is told it does not.
import * as assert from 'assert';
import { applyRangeToQuery } from '../../src/core/kql/timeFilter';

const range = { start: new Date('2026-10-21T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };

describe("baseline range and the query's own time filter", () => {
  it('moves a single `TimeGenerated > ago(…)` to the range start and says so', () => {
    const q = 'SigninLogs\n| where TimeGenerated > ago(7d)\n| summarize count() by bin(TimeGenerated, 1d)';
    const r = applyRangeToQuery(q, range);
    assert.strictEqual(
      r.query,
      'SigninLogs\n| where TimeGenerated > datetime(2026-10-21T12:00:00Z)\n| summarize count() by bin(TimeGenerated, 1d)',
    );
    assert.match(r.note ?? '', /TimeGenerated > ago\(7d\) was set to the chosen range's start/);
    assert.match(
      applyRangeToQuery('T | where TimeGenerated >= ago(lookback)', range).query,
      /TimeGenerated >= datetime\(2026-10-21T12:00:00Z\)/,
    );
  });

  it('sets a single `TimeGenerated between (ago(…) .. now())` to the range', () => {
    const r = applyRangeToQuery('SigninLogs\n| where TimeGenerated between (ago(7d) .. now())\n| count', range);
    assert.strictEqual(
      r.query,
      'SigninLogs\n| where TimeGenerated between (datetime(2026-10-21T12:00:00Z) .. datetime(2026-11-20T12:00:00Z))\n| count',
    );
    assert.match(r.note ?? '', /between \(ago\(7d\) \.\. now\(\)\) was set to the chosen range/);
  });

  it('leaves queries without a filter alone, ignores comments and strings', () => {
    assert.deepStrictEqual(applyRangeToQuery('SigninLogs | take 10', range), { query: 'SigninLogs | take 10' });
    const commented = '// where TimeGenerated > ago(7d)\nSigninLogs | where Note == "TimeGenerated > ago(1d)" | take 1';
    assert.deepStrictEqual(applyRangeToQuery(commented, range), { query: commented });
  });

  it('says clearly that the query limits the range when its filter is not one recognisable lower bound', () => {
    for (const q of [
      'SigninLogs | where TimeGenerated between (ago(14d) .. ago(7d))',
      'SigninLogs | where TimeGenerated between (ago(7d) .. now()) | join (AuditLogs | where TimeGenerated > ago(1d)) on CorrelationId',
      'SigninLogs | where TimeGenerated > ago(30d) and TimeGenerated < ago(7d)',
      'let a = SigninLogs | where TimeGenerated > ago(7d); let b = AuditLogs | where TimeGenerated > ago(1d); a | join b on UserId',
    ]) {
      const r = applyRangeToQuery(q, range);
      assert.strictEqual(r.query, q);
      assert.match(r.note ?? '', /filters TimeGenerated itself .* limits the chosen range/);
    }
  });
});
