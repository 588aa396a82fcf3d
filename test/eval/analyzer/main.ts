// `npm run eval:analyzer`: prints accuracy, false alarms and every miss with its score breakdown.
// `--verbose` prints every scenario's verdict and breakdown; `--only ID` runs one scenario; `--keep` keeps the lakes.
import { SCENARIOS } from './suite';
import { breakdown, evaluateSuite, formatReport } from './evaluate';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const scenarios = only ? SCENARIOS.filter((s) => s.id === only) : SCENARIOS;
  if (!scenarios.length) throw new Error(`no scenario '${only}'`);
  const report = await evaluateSuite(scenarios, args.includes('--keep'));
  if (args.includes('--verbose')) {
    for (const o of report.outcomes) {
      console.log(`${o.ok ? 'ok  ' : 'MISS'} ${o.scenario.id}: ${o.result.verdict} (${o.result.confidence})`);
      for (const b of breakdown(o.result)) console.log(`       ${b}`);
    }
    console.log('');
  }
  console.log(formatReport(report));
  process.exitCode = report.accuracy >= 0.95 && report.falseAlarms.length === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
});
