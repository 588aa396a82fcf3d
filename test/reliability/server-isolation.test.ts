// The local MCP server (dist/mcp-server.js, as the extension and agent mode run it) under queries that would
// stall or exhaust it: each is stopped at its budget on its worker thread while the server keeps answering a
// health call within a second and the other callers get correct results.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { createEngine } from '../../src/core/kql/engine';
import { openLake } from '../../src/core/lake/lake';
import { demoLakeDir } from '../unit/analyzer-server/demoLake';
import { SERVER, ServerHandle, startServer, text } from './support';

// Real queries that are slow or large with any engine: ten million rows of fresh strings.
const SLOW =
  'range x from 1 to 10000000 step 1 | extend s = strcat(tostring(x), "-", tostring(x * 7)) | summarize dcount(s)';
const HUNGRY =
  'range x from 1 to 5000000 step 1 | extend s = strcat("a", tostring(x), "b", tostring(x)) | summarize dcount(s)';
const OTHERS = [
  'SigninLogs | summarize n = count() by ResultType | order by ResultType asc',
  'SecurityIncident | summarize arg_max(TimeGenerated, *) by IncidentName | count',
  'IdentityInfo | project AccountUPN | order by AccountUPN asc | take 5',
];

describe('MCP server under a killer query', function () {
  this.timeout(120_000);
  let lake: string;
  let expected: unknown[][][];

  before(async () => {
    lake = await demoLakeDir();
    const engine = createEngine(openLake(lake));
    expected = await Promise.all(OTHERS.map(async (q) => (await engine.execute(q)).rows));
  });

  async function healthWithinASecond(server: ServerHandle, when: string): Promise<void> {
    const { ms, result } = await server.call('list_sentinel_workspaces');
    assert.ok(!result.isError, text(result));
    assert.match(text(result), /1 workspace/);
    assert.ok(ms < 1000, `list_sentinel_workspaces took ${ms} ms ${when}`);
  }

  async function othersAreRight(server: ServerHandle): Promise<void> {
    const answers = await Promise.all(OTHERS.map((query) => server.call('query_lake', { query })));
    answers.forEach(({ result }, i) => {
      assert.ok(!result.isError, `${OTHERS[i]}: ${text(result)}`);
      assert.deepStrictEqual((result.structuredContent as { rows: unknown[][] }).rows, expected[i], OTHERS[i]);
    });
    const incidents = await server.call('ListIncidents', { top: 3 });
    assert.ok(!incidents.result.isError, text(incidents.result));
    assert.strictEqual((incidents.result.structuredContent as { incidents: unknown[] }).incidents.length, 3);
  }

  it('stops a query over the time budget while a health call and the other callers are answered', async () => {
    const server = await startServer(lake, ['--query-timeout', '3', '--query-workers', '2']);
    try {
      await othersAreRight(server); // warm
      const t0 = Date.now();
      const killer = server.call('query_lake', { query: SLOW });
      await new Promise((r) => setTimeout(r, 500));
      await healthWithinASecond(server, 'while a killer query runs');
      await othersAreRight(server);
      const { result } = await killer;
      const stoppedAfter = Date.now() - t0;
      assert.ok(result.isError);
      assert.strictEqual(text(result), 'query stopped: over the 3 s time budget');
      assert.strictEqual((result.structuredContent as { code?: string }).code, 'QueryTimeBudget');
      assert.ok(stoppedAfter < 8000, `stopped after ${stoppedAfter} ms, budget 3 s`);
      // right after the kill: the server answers, a replacement worker serves queries
      await healthWithinASecond(server, 'right after a worker was terminated');
      await othersAreRight(server);
    } finally {
      await server.close();
    }
  });

  it('stops a query over the memory budget without taking the server down', async () => {
    const server = await startServer(lake, ['--query-memory', '128', '--query-timeout', '100', '--query-workers', '2']);
    try {
      await othersAreRight(server);
      const hungry = server.call('query_lake', { query: HUNGRY });
      await new Promise((r) => setTimeout(r, 300));
      await healthWithinASecond(server, 'while a query fills its worker heap');
      await othersAreRight(server);
      const { result } = await hungry;
      assert.ok(result.isError);
      assert.strictEqual(text(result), 'query stopped: over the 128 MB memory budget');
      await healthWithinASecond(server, 'after a worker ran out of memory');
      await othersAreRight(server);
      assert.ok(server.stderr.join('').includes('over the 128 MB memory budget'), 'the stop is logged');
    } finally {
      await server.close();
    }
  });

  it('two killers at once: queued callers wait, then get their answers; nothing is lost', async () => {
    const server = await startServer(lake, ['--query-timeout', '2', '--query-workers', '2']);
    try {
      const killers = [server.call('query_lake', { query: SLOW }), server.call('query_lake', { query: SLOW })];
      await new Promise((r) => setTimeout(r, 300));
      await healthWithinASecond(server, 'while both workers are busy');
      // queued behind the killers; answered once they are stopped
      await othersAreRight(server);
      for (const k of await Promise.all(killers))
        assert.strictEqual(text(k.result), 'query stopped: over the 2 s time budget');
    } finally {
      await server.close();
    }
  });

  it('a query the client cancels is stopped and its worker freed for the next caller', async () => {
    const server = await startServer(lake, ['--query-timeout', '100', '--query-workers', '1']);
    try {
      const ac = new AbortController();
      const cancelled = server.client.callTool({ name: 'query_lake', arguments: { query: SLOW } }, undefined, {
        signal: ac.signal,
        timeout: 110_000,
      });
      await new Promise((r) => setTimeout(r, 500));
      ac.abort();
      await assert.rejects(cancelled);
      const t0 = Date.now();
      await othersAreRight(server); // one worker only: it must have been freed (terminated after the grace period)
      assert.ok(Date.now() - t0 < 20_000, `the next queries waited ${Date.now() - t0} ms`);
    } finally {
      await server.close();
    }
  });

  it('refuses budget settings out of bounds with one clear line', async () => {
    for (const [flag, value] of [
      ['--query-timeout', '0'],
      ['--query-memory', 'lots'],
      ['--query-workers', '1.5'],
    ]) {
      const r = spawnSync(process.execPath, [SERVER, '--lake', lake, flag, value], { encoding: 'utf8', input: '' });
      assert.strictEqual(r.status, 2, r.stderr);
      assert.match(r.stderr.trim(), new RegExp(`^error: ${flag} must be .* \\(got '${value.replace('.', '\\.')}'\\)$`));
    }
  });
});
