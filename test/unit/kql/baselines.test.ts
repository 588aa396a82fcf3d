// The seed baselines on the demo lake, checked against the same numbers computed directly from the files.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { ensureDemoLake } from '../../../src/core/lake/demo';

const ROOT = path.resolve(__dirname, '../../..');
const DAY = 86400e3;

function readJsonl(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

async function swb(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env: process.env,
    cwd: ROOT,
  };
  const code = await main(args, io);
  return { code, out, err };
}

describe('seed baselines on the demo lake (swb query)', function () {
  this.timeout(120000);
  let lake: string;
  let now: number;

  before(async () => {
    lake = await ensureDemoLake();
    now = Date.parse(JSON.parse(fs.readFileSync(path.join(lake, 'lake.json'), 'utf8')).now);
  });

  it('sign-in baseline: per-day totals, failures, successes, distinct IPs and apps for the target user', async () => {
    const file = path.join(ROOT, 'sample/baselines/signin-baseline.kql');
    const upn = /let TargetUpn = "([^"]+)"/.exec(fs.readFileSync(file, 'utf8'))![1];
    const res = await swb(['query', '--lake', lake, '--format', 'json', file]);
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out);
    assert.deepEqual(
      r.columns.map((c: { name: string }) => c.name),
      ['TimeGenerated', 'Total', 'Failures', 'Successes', 'DistinctIPs', 'Apps'],
    );

    const days = new Map<number, { total: number; fail: number; ok: number; ips: Set<string>; apps: Set<string> }>();
    for (const row of readJsonl(path.join(lake, 'SigninLogs.jsonl'))) {
      const t = Date.parse(String(row.TimeGenerated));
      if (row.UserPrincipalName !== upn || t < now - 7 * DAY || t > now) continue;
      const d = Math.floor(t / DAY) * DAY;
      const e = days.get(d) ?? { total: 0, fail: 0, ok: 0, ips: new Set(), apps: new Set() };
      e.total++;
      if (row.ResultType === '0') e.ok++;
      else e.fail++;
      e.ips.add(String(row.IPAddress));
      e.apps.add(String(row.AppDisplayName));
      days.set(d, e);
    }
    const expected = [...days.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([d, e]) => [
        new Date(d).toISOString().replace('.000Z', 'Z'),
        e.total,
        e.fail,
        e.ok,
        e.ips.size,
        [...e.apps].sort(),
      ]);
    assert.ok(expected.length > 0, 'the demo user has sign-ins in the window');
    const got = r.rows.map((row: unknown[]) => [...row.slice(0, 5), [...(row[5] as string[])].sort()]);
    assert.deepEqual(got, expected);
    assert.equal(r.stats.rowsReturned, expected.length);
  });

  it('URL prevalence: clicks, users and click-throughs per verdict and day', async () => {
    const file = path.join(ROOT, 'sample/baselines/url-prevalence.kql');
    const url = /let TargetUrl = "([^"]+)"/.exec(fs.readFileSync(file, 'utf8'))![1];
    const res = await swb(['query', '--lake', lake, file]);
    assert.equal(res.code, 0, res.err);
    const r = JSON.parse(res.out);
    const groups = new Map<string, { clicks: number; users: Set<string>; through: number }>();
    for (const row of readJsonl(path.join(lake, 'UrlClickEvents.jsonl'))) {
      const t = Date.parse(String(row.TimeGenerated));
      if (row.Url !== url || t < now - 7 * DAY || t > now) continue;
      const key = `${row.ActionType}|${new Date(Math.floor(t / DAY) * DAY).toISOString().replace('.000Z', 'Z')}`;
      const e = groups.get(key) ?? { clicks: 0, users: new Set(), through: 0 };
      e.clicks++;
      e.users.add(String(row.AccountUpn));
      if (row.IsClickedThrough === true || row.IsClickedThrough === 'true') e.through++;
      groups.set(key, e);
    }
    assert.ok(groups.size > 0, 'the phishing URL was clicked in the window');
    const expected = [...groups.entries()]
      .map(([k, e]) => [...k.split('|'), e.clicks, e.users.size, e.through, [...e.users].sort()])
      .sort((a, b) => String(a).localeCompare(String(b)));
    const got = r.rows
      .map((row: unknown[]) => [...row.slice(0, 5), [...(row[5] as string[])].sort()])
      .sort((a: unknown[], b: unknown[]) => String(a).localeCompare(String(b)));
    assert.deepEqual(got, expected);
    // ordered by day, newest first
    const daysOut = r.rows.map((row: unknown[]) => row[1] as string);
    assert.deepEqual(daysOut, [...daysOut].sort().reverse());
  });

  it('bad KQL exits 2 with FILE:LINE:COL and no stack trace; table and csv formats', async () => {
    const bad = await swb(['query', '--lake', lake, '-e', 'SigninLogs\n| where NoSuchColumn == 1']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^<query>:2:9: error: /);
    assert.doesNotMatch(bad.err, /\n\s+at /);
    const table = await swb(['query', '--lake', lake, '--format', 'table', '-e', 'print a = 1, b = "x"']);
    assert.equal(table.out.split('\n').slice(0, 3).join('\n'), 'a  b\n-  -\n1  x');
    const csv = await swb(['query', '--lake', lake, '--format', 'csv', '-e', 'print a = "x,y", b = dynamic({"k":1})']);
    assert.equal(csv.out, 'a,b\r\n"x,y","{""k"":1}"\r\n');
    const unsupported = await swb(['query', '--lake', lake, '-e', 'SigninLogs | facet by UserPrincipalName']);
    assert.equal(unsupported.code, 2);
    assert.match(unsupported.err, /<query>:1:14: error: local engine does not support `facet`/);
  });
});
