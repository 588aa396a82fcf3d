// Loaded by mocha (`--require`, see scripts/run-tests.js) before any adapter test: maps `require('vscode')`
// to the fake in ./fakeVscode.ts, so extension code under src/extension runs in plain Node.
// Bench scripts load it the same way: require('tsx/cjs'); require('../test/adapter/support/register.ts').
import Module = require('module');
import * as path from 'path';

const FAKE = path.join(__dirname, 'fakeVscode.ts');
const mod = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const original = mod._resolveFilename;
mod._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (request === 'vscode') return FAKE;
  return original.call(this, request, ...rest);
};
