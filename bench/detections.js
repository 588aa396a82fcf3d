// Detection tests throughput: ≥ 500 generated cases over the sample rules, run by one `swb test` process
// (parse once, engine warm). Target ≥ 20 cases/s on the 2-core reference machine, and the first case no
// later than the CLI's own start-up cost (a one-case `swb test` against `swb query` of one row).
// Usage: npm run build && npm run bench:detections [-- --files 120]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const RULES = path.join(ROOT, 'sample', 'rules');
const filesArg = process.argv.indexOf('--files');
const FILES = filesArg > 0 ? Number(process.argv[filesArg + 1]) : 120;
const CASES_PER_FILE = 5;

if (!fs.existsSync(CLI)) {
  console.error('build first: npm run build');
  process.exit(2);
}

// Deterministic pseudo-random numbers, so every run measures the same cases.
let seed = 42;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const iso = (minute) => new Date(Date.UTC(2026, 10, 18, 2, 0) + minute * 60_000).toISOString().replace('.000Z', 'Z');
const upn = (i) => `user${i}@contoso.com`;
const ip = (i) => `192.0.2.${i}`;
const yamlRow = (o) => `        - ${JSON.stringify(o)}`;

/** Sign-in rows: background noise, plus a spray from one IP against `accounts` accounts ending in a success. */
function signins(accounts, success) {
  const rows = [];
  for (let i = 0; i < 20; i++)
    rows.push({
      TimeGenerated: iso(rand(50)),
      UserPrincipalName: upn(100 + rand(30)),
      ResultType: rand(4) ? '0' : '50126',
      IPAddress: ip(100 + rand(50)),
      Location: 'US',
    });
  for (let a = 0; a < accounts; a++)
    rows.push({
      TimeGenerated: iso(a),
      UserPrincipalName: upn(a),
      ResultType: '50126',
      IPAddress: ip(66),
      Location: 'RU',
    });
  if (success)
    rows.push({
      TimeGenerated: iso(45),
      UserPrincipalName: upn(0),
      ResultType: '0',
      IPAddress: ip(66),
      Location: 'RU',
    });
  return rows;
}

function sprayFile() {
  const cases = [];
  for (let c = 0; c < CASES_PER_FILE; c++) {
    const accounts = 2 + rand(8);
    const success = rand(2) === 1;
    // the spray rule needs ≥ 5 accounts failing from the IP and a success from it; background IPs never reach 5
    const fires = accounts >= 5 && success;
    cases.push(`  - name: case ${c} (${accounts} accounts, ${success ? 'success' : 'no success'})
    tables:
      SigninLogs:
${signins(accounts, success).map(yamlRow).join('\n')}
    expect:
      alerts: ${fires ? 1 : 0}`);
  }
  return `rule: ${JSON.stringify(path.join(RULES, 'identity', 'password-spray.yaml'))}\nnow: ${iso(60)}\ncases:\n${cases.join('\n')}\n`;
}

function forwardingFile(n) {
  const cases = [];
  for (let c = 0; c < CASES_PER_FILE; c++) {
    const outside = rand(2) === 1;
    const row = {
      TimeGenerated: iso(30 + rand(20)),
      ActionType: 'New-InboxRule',
      AccountObjectId: `obj-${n}-${c}`,
      IPAddress: ip(rand(200)),
      RawEventData: {
        UserId: upn(c),
        Parameters: [{ Name: 'ForwardTo', Value: outside ? `x${c}@proton-relay.net` : `y${c}@contoso.com` }],
      },
    };
    cases.push(`  - name: case ${c} (${outside ? 'outside' : 'inside'})
    tables:
      CloudAppEvents:
${yamlRow(row)}
    expect:
      alerts: ${outside ? 1 : 0}`);
  }
  return `rule: ${JSON.stringify(path.join(RULES, 'email', 'inbox-forwarding.yaml'))}\nnow: ${iso(60)}\ncases:\n${cases.join('\n')}\n`;
}

// Wall time, and CPU time (user + sys) where /usr/bin/time exists: on a busy shared machine CPU time is the
// figure that compares two commands fairly.
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function time(args) {
  const cpuFile = path.join(os.tmpdir(), `swb-bench-cpu-${process.pid}`);
  const [cmd, argv] = GNU_TIME
    ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, CLI, ...args]]
    : [process.execPath, [CLI, ...args]];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let cpuMs;
  if (GNU_TIME) {
    const [u, sys] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (u + sys) * 1000;
    fs.rmSync(cpuFile, { force: true });
  }
  return { ms, cpuMs, r };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-bench-dt-'));
try {
  for (let i = 0; i < FILES; i++) {
    fs.writeFileSync(
      path.join(dir, `t${String(i).padStart(3, '0')}.test.yaml`),
      i % 2 ? forwardingFile(i) : sprayFile(i),
    );
  }
  const all = time(['test', dir, '--format', 'json']);
  const report = JSON.parse(all.r.stdout);
  if (report.passed !== report.tests) {
    console.error(
      `not every generated case passed: ${JSON.stringify(report.cases.filter((c) => c.status !== 'passed').slice(0, 3))}`,
    );
    process.exit(1);
  }
  const inRunner = report.cases.reduce((a, c) => a + c.durationMs, 0);
  const first = report.cases[0].durationMs;
  const steady = (report.tests - 1) / ((inRunner - first) / 1000);
  // The first case against the CLI's own cost of running the same rule query once on the same rows.
  const oneDir = path.join(dir, 'one');
  fs.mkdirSync(oneDir);
  seed = 7;
  const rows = signins(6, true);
  fs.writeFileSync(
    path.join(oneDir, 'one.test.yaml'),
    `rule: ${JSON.stringify(path.join(RULES, 'identity', 'password-spray.yaml'))}\nnow: ${iso(60)}\ncases:\n  - name: one\n    tables:\n      SigninLogs:\n${rows.map(yamlRow).join('\n')}\n    expect:\n      alerts: 1\n`,
  );
  const lake = path.join(dir, 'lake');
  fs.mkdirSync(lake);
  fs.writeFileSync(path.join(lake, 'SigninLogs.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const yaml = require('yaml');
  const queryFile = path.join(dir, 'spray.kql');
  fs.writeFileSync(
    queryFile,
    yaml.parse(fs.readFileSync(path.join(RULES, 'identity', 'password-spray.yaml'), 'utf8')).query,
  );
  const runs = 3;
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const oneCase = Array.from({ length: runs }, () => time(['test', oneDir, '--format', 'json']));
  const query = Array.from({ length: runs }, () =>
    time(['query', '--lake', lake, '--now', iso(60), '--format', 'json', queryFile]),
  );
  if (oneCase.some((t) => t.r.status !== 0) || query.some((t) => t.r.status !== 0)) {
    console.error(
      `the one-case comparison did not run: ${oneCase[0].r.stdout}${oneCase[0].r.stderr}${query[0].r.stderr}`,
    );
    process.exit(1);
  }
  const cpu = (ts) => (GNU_TIME ? `, CPU ${median(ts.map((t) => t.cpuMs)).toFixed(0)} ms` : '');
  console.log(`detection tests: ${report.tests} cases in ${FILES} files`);
  console.log(
    `  one process, end to end:  ${(all.ms / 1000).toFixed(2)} s wall${GNU_TIME ? `, ${(all.cpuMs / 1000).toFixed(2)} s CPU` : ''} → ${(report.tests / (all.ms / 1000)).toFixed(1)} cases/s (target ≥ 20)`,
  );
  console.log(
    `  after the first case:     ${steady.toFixed(1)} cases/s (${((inRunner - first) / (report.tests - 1)).toFixed(2)} ms per case)`,
  );
  console.log(`  first case in the runner: ${first.toFixed(0)} ms (parser load and first analysis)`);
  console.log(`  swb test, one case:       ${median(oneCase.map((t) => t.ms)).toFixed(0)} ms wall${cpu(oneCase)}`);
  console.log(
    `  swb query, same rule and rows: ${median(query.map((t) => t.ms)).toFixed(0)} ms wall${cpu(query)} (the CLI's own cost; median of ${runs})`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
