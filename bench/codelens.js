// CodeLens budget: block detection + parameter scan on a 10,000-line .kql file, ≤ 5 ms median per call.
// Usage: npm run bench:codelens
require('tsx/cjs');
const { splitQueryBlocks } = require('../src/core/kql/blocks.ts');
const { findParameters } = require('../src/core/kql/parameters.ts');

const block = [
  '// Daily sign-in baseline',
  'let TargetUpn = "megan.bowen@contoso.com";',
  'SigninLogs',
  '| where TimeGenerated between (ago(7d) .. now())',
  '| where UserPrincipalName == TargetUpn',
  '| summarize Total=count(), Failures=countif(ResultType != "0") by bin(TimeGenerated, 1d)',
  '| order by TimeGenerated desc',
  '',
];
const lines = [];
while (lines.length < 10000) lines.push(...block);
const text = lines.slice(0, 10000).join('\n');

function lensesFor(t) {
  let n = 0;
  for (const b of splitQueryBlocks(t)) {
    n += 2;
    n += findParameters(b.text, b.startLine).length;
  }
  return n;
}

for (let i = 0; i < 20; i++) lensesFor(text); // warm up
const times = [];
for (let i = 0; i < 200; i++) {
  const t0 = process.hrtime.bigint();
  lensesFor(text);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[times.length >> 1];
const p95 = times[Math.floor(times.length * 0.95)];
const budget = 5;
console.log(
  `CodeLens on a 10,000-line file (${splitQueryBlocks(text).length} blocks): median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms — budget ${budget} ms: ${median <= budget ? 'OK' : 'OVER'}`,
);
process.exitCode = median <= budget ? 0 : 1;
