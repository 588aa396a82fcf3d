// The CLI and the Azure backend against endpoints that answer badly: a proxy page instead of JSON, a server
// that echoes the Authorization header back. One clear line with a bounded excerpt, exit 2, and never the
// bearer token this process sent.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { AzureBackend } from '../../src/core/backends/azure/backend';
import { staticTokenCredential } from '../../src/core/backends/azure/credentials';
import { UserError } from '../../src/core/errors';
import { assertOneLineError, swb } from './support';

const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLW5vdC1hLXNlY3JldC0xMjM0NTY3ODkw';
const SUB = '00000000-0000-0000-0000-00000000000a';
const WS = `/subscriptions/${SUB}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws`;
const CUSTOMER_ID = '11111111-2222-3333-4444-555555555555';

type Mode = 'page' | 'echo-json' | 'echo-page';

async function hostileAzure(): Promise<{ url: string; mode: { value: Mode }; close(): Promise<void> }> {
  const mode = { value: 'page' as Mode };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '');
      const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method === 'GET' && p === WS) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ id: WS, name: 'soc-ws', properties: { customerId: CUSTOMER_ID } }));
      }
      if (mode.value === 'echo-json') {
        res.writeHead(403, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            error: { code: 'AuthorizationFailed', message: `Request with header Authorization: ${auth} was denied.` },
          }),
        );
      }
      // a sign-in page of a proxy: 200, HTML, long; in echo-page it also shows the header it received
      res.writeHead(200, { 'content-type': 'text/html' });
      const echoed = mode.value === 'echo-page' ? `<pre>${auth}</pre>` : '';
      res.end(
        `<!DOCTYPE html><html><head><title>Proxy sign-in</title></head><body>${echoed}<p>Please sign in to continue.</p>${'<div>padding</div>'.repeat(5000)}</body></html>`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, mode, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('Azure endpoints that answer badly', function () {
  this.timeout(60_000);
  let azure: Awaited<ReturnType<typeof hostileAzure>>;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    azure = await hostileAzure();
    env = {
      SWB_ACCESS_TOKEN: TOKEN,
      SWB_ARM_ENDPOINT: azure.url,
      SWB_LOGS_ENDPOINT: `${azure.url}/v1`,
      SWB_SENTINEL_MCP_URL: `${azure.url}/mcp`,
    };
  });
  after(() => azure.close());

  it('swb incidents: a page instead of JSON is one line with a bounded excerpt, exit 2', async () => {
    azure.mode.value = 'page';
    const r = await swb(['incidents', '--azure', WS], env);
    assert.strictEqual(r.code, 2, r.stderr);
    assertOneLineError(r.stderr);
    assert.match(
      r.stderr,
      /^error: Azure returned a response that is not JSON \(.*HTTP 200\): <!DOCTYPE html><html><head><title>Proxy sign-in<\/title>/,
    );
    assert.ok(r.stderr.length < 600, `excerpt of ${r.stderr.length} characters`);
    assert.match(r.stderr, /… \(\d{2},\d{3} characters\)\n$/);
  });

  it('swb incidents: a server echoing the Authorization header never makes the CLI print the token', async () => {
    for (const m of ['echo-json', 'echo-page'] as Mode[]) {
      azure.mode.value = m;
      const r = await swb(['incidents', '--azure', WS], env);
      assert.notStrictEqual(r.code, 0, m);
      assertOneLineError(r.stderr);
      assert.ok(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN), `${m}: the token was printed: ${r.stderr}`);
      assert.ok(!r.stderr.includes(TOKEN.slice(0, 30)), `${m}: part of the token was printed`);
      assert.match(r.stderr, /Bearer \[redacted\]/, m);
    }
  });

  it('Log Analytics: a page instead of JSON becomes a clear error with an excerpt, without the token', async () => {
    const backend = new AzureBackend({
      workspaceResourceId: WS,
      endpoints: {
        armEndpoint: azure.url,
        logsEndpoint: `${azure.url}/v1`,
        sentinelMcpUrl: `${azure.url}/mcp`,
        armScope: 'a/.default',
        logsScope: 'l/.default',
        sentinelMcpScope: 's/.default',
      },
      credential: staticTokenCredential(TOKEN),
      maxRetries: 0,
    });
    try {
      for (const m of ['page', 'echo-page'] as Mode[]) {
        azure.mode.value = m;
        await assert.rejects(backend.runQuery('SigninLogs | take 1'), (e: unknown) => {
          assert.ok(e instanceof UserError, `${m}: ${String(e)}`);
          assert.match(e.message, /^Log Analytics returned a response that is not JSON \(HTTP 200\): <!DOCTYPE html>/);
          assert.ok(e.message.length < 500, `${e.message.length} characters`);
          assert.ok(!e.message.includes(TOKEN));
          return true;
        });
      }
    } finally {
      await backend.dispose();
    }
  });
});
