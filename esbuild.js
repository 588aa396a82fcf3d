// One build script, several contexts. `--production` minifies, `--watch` rebuilds.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Optional native/peer modules that the bundled SDKs probe for but we never use.
  external: ['vscode', '@duckdb/node-api', 'bufferutil', 'utf-8-validate'],
};
// Libraries that few commands need, each a side bundle next to the bundles that require them lazily (on the first
// geo function, Parquet table, Azure sign-in or ADX query): parsing them would otherwise be paid at every start-up.
const SIDE_BUNDLES = {
  s2js: 'lib/s2js.js',
  'h3-js': 'lib/h3-js.js',
  ngeohash: 'lib/ngeohash.js',
  './hyparquetLib': 'lib/hyparquet.js',
  '@azure/identity': 'lib/azure-identity.js',
  'azure-kusto-data': 'lib/azure-kusto-data.js',
};
const SIDE_BUNDLE_NAMES = new RegExp(
  `^(${Object.keys(SIDE_BUNDLES)
    .map((k) => k.replace(/[./]/g, '\\$&'))
    .join('|')})$`,
);
// The Kusto library is its own bundle (dist/kusto-bridge.js), loaded at run time by src/core/kql/kusto.ts.
const withoutKusto = {
  ...node,
  plugins: [
    {
      name: 'kusto-bridge-apart',
      setup(build) {
        build.onResolve({ filter: /[\\/]kustoBridge$/ }, () => ({ path: './kusto-bridge.js', external: true }));
      },
    },
    {
      name: 'side-bundles-apart',
      setup(build) {
        build.onResolve({ filter: SIDE_BUNDLE_NAMES }, (args) => ({
          path: `./${SIDE_BUNDLES[args.path]}`,
          external: true,
        }));
      },
    },
  ],
};
// Inside the start-up snapshot `require` loads only Node built-ins: the side bundles load through createRequire.
const sideBundlesFromSnapshot = {
  ...node,
  sourcemap: false,
  plugins: [
    {
      name: 'side-bundles-from-snapshot',
      setup(build) {
        build.onResolve({ filter: SIDE_BUNDLE_NAMES }, (args) => ({
          path: SIDE_BUNDLES[args.path],
          namespace: 'side-bundle',
        }));
        build.onLoad({ filter: /.*/, namespace: 'side-bundle' }, (args) => ({
          contents: `module.exports = require('module').createRequire(__filename)(${JSON.stringify(`./${args.path}`)});`,
          loader: 'js',
        }));
      },
    },
  ],
};
const sideBundles = Object.entries(SIDE_BUNDLES).map(([from, out]) => ({
  entryPoints: [from.startsWith('.') ? 'src/core/lake/hyparquetLib.ts' : from],
  outfile: `dist/${out}`,
  ...node,
  sourcemap: false,
}));

/** Entry points: [source, output, extra options]. Webviews are browser IIFEs. */
const targets = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', ...node },
  // `swb`: a small launcher (dist/cli.js) that starts the CLI (dist/cli-main.js) from a start-up snapshot of
  // the Kusto library (built from dist/cli-snapshot.js into the user cache folder) when one is there.
  { entryPoints: ['src/cli/launcher.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, ...node },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', ...withoutKusto },
  { entryPoints: ['src/core/kql/kustoBridge.ts'], outfile: 'dist/kusto-bridge.js', ...node, sourcemap: false },
  { entryPoints: ['src/cli/snapshotEntry.ts'], outfile: 'dist/cli-snapshot.js', ...sideBundlesFromSnapshot },
  { entryPoints: ['src/server/mcp-server.ts'], outfile: 'dist/mcp-server.js', ...withoutKusto },
  // The Azure backend, loaded by the extension only when it connects to Azure (keeps the SDKs out of activation).
  { entryPoints: ['src/core/backends/azure/index.ts'], outfile: 'dist/azure.js', ...node },
  // Loaded by the extension on first use (src/extension/lazyBundle.ts), to keep dist/extension.js small:
  // the MCP client for the local backend, the migration checklist panel, the LSP client library, the YAML
  // reading and writing of detection test files.
  { entryPoints: ['src/core/backends/mcpLocal.ts'], outfile: 'dist/mcp-local.js', ...node },
  { entryPoints: ['src/extension/migration/checklistPanel.ts'], outfile: 'dist/migration-panel.js', ...node },
  { entryPoints: ['src/extension/authoring/languageClientLib.ts'], outfile: 'dist/language-client.js', ...node },
  { entryPoints: ['src/extension/detections/detectionFiles.ts'], outfile: 'dist/detection-files.js', ...node },
  { entryPoints: ['src/server/kql-language-server.ts'], outfile: 'dist/kql-language-server.js', ...withoutKusto },
  // Detection tests and rule lint for the extension (the engine and the Kusto parser stay out of the host).
  { entryPoints: ['src/server/detections-worker.ts'], outfile: 'dist/detections-worker.js', ...withoutKusto },
  // Worker thread of the lake loader (large JSONL files), started by dist/cli.js and dist/mcp-server.js.
  { entryPoints: ['src/core/lake/lakeWorker.ts'], outfile: 'dist/lake-worker.js', ...withoutKusto },
  // Worker threads of the local MCP server's query pool (stopped and replaced when a query overruns its budgets).
  { entryPoints: ['src/core/kql/queryWorker.ts'], outfile: 'dist/query-worker.js', ...withoutKusto },
  ...sideBundles,
  ...fs
    .readdirSync('src/webview')
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => ({
      entryPoints: [path.join('src/webview', f)],
      outfile: path.join('dist/webview', f.replace(/\.tsx?$/, '.js')),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      sourcemap: !production,
      minify: production,
      logLevel: 'warning',
      loader: { '.css': 'text' },
    })),
];

function printSizes() {
  for (const t of targets) {
    if (!fs.existsSync(t.outfile)) continue;
    const kb = fs.statSync(t.outfile).size / 1024;
    console.log(`  ${t.outfile.padEnd(36)} ${kb.toFixed(1).padStart(9)} KiB`);
  }
}

async function main() {
  if (watch) {
    for (const t of targets) {
      const ctx = await esbuild.context(t);
      await ctx.watch();
    }
    console.log('esbuild: watching…');
    return;
  }
  await Promise.all(targets.map((t) => esbuild.build(t)));
  console.log(`esbuild: built ${targets.length} bundles${production ? ' (production)' : ''}`);
  printSizes();
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
