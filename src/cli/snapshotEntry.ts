// Entry of the start-up snapshot (`node --build-snapshot dist/cli-snapshot.js`): the Kusto library loaded and
// its parser warmed, so a `swb` started from the snapshot answers its first query without ~1 s of set-up.
// While the snapshot is built only Node built-ins can be required; the CLI itself is loaded when it starts.
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import * as v8 from 'v8';
import '../core/kql/kustoBridge';
import { kustoLanguage, warmUpParser } from '../core/kql/kusto';

kustoLanguage();
warmUpParser();

v8.startupSnapshot.setDeserializeMainFunction(() => {
  const handshake = process.env.SWB_SNAPSHOT_FD;
  delete process.env.SWB_SNAPSHOT_FD;
  if (handshake) {
    // tells the launcher that the snapshot started (otherwise it runs the CLI itself)
    try { fs.writeSync(Number(handshake), 'started'); fs.closeSync(Number(handshake)); } catch { /* not a pipe */ }
  }
  if (process.env.SWB_SNAPSHOT_CHECK === '1') {
    const K = kustoLanguage();
    const ok = K.KustoCode.ParseAndAnalyze('print x = 1', K.GlobalState.Default).GetDiagnostics().Count === 0;
    process.stdout.write(ok ? 'snapshot ok\n' : 'snapshot broken\n');
    process.exitCode = ok ? 0 : 1;
    return;
  }
  const script = path.resolve(process.argv[1]);
  const cli = createRequire(script)(script) as { runMain(argv: string[]): void };
  cli.runMain(process.argv.slice(2));
});
