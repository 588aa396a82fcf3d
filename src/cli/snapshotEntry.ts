// Entry of the start-up snapshot (`node --build-snapshot dist/cli-snapshot.js`): the Kusto library loaded and
// its parser warmed, and the engine and lake modules initialised (function tables, schemas), so a `swb` started
// from the snapshot answers its first query without ~1 s of set-up. The CLI is bundled here too and initialised
// only when the snapshot starts (it reads the working folder and environment). `require` in a snapshot loads
// only Node built-ins; the side bundles (dist/lib/) load through createRequire (see esbuild.js).
import * as fs from 'fs';
import * as v8 from 'v8';
import '../core/kql/kustoBridge';
import { kustoLanguage, warmUpParser } from '../core/kql/kusto';
import '../core/kql/engine';
import '../core/lake/lake';

kustoLanguage();
warmUpParser();

v8.startupSnapshot.setDeserializeMainFunction(() => {
  const handshake = process.env.SWB_SNAPSHOT_FD;
  delete process.env.SWB_SNAPSHOT_FD;
  if (handshake) {
    // tells the launcher that the snapshot started (otherwise it runs the CLI itself)
    try {
      fs.writeSync(Number(handshake), 'started');
      fs.closeSync(Number(handshake));
    } catch {
      /* not a pipe */
    }
  }
  if (process.env.SWB_SNAPSHOT_CHECK === '1') {
    const K = kustoLanguage();
    const ok = K.KustoCode.ParseAndAnalyze('print x = 1', K.GlobalState.Default).GetDiagnostics().Count === 0;
    process.stdout.write(ok ? 'snapshot ok\n' : 'snapshot broken\n');
    process.exitCode = ok ? 0 : 1;
    return;
  }
  (require('./main') as typeof import('./main')).runMain(process.argv.slice(2));
});
