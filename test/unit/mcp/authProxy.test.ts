// The loopback proxy agent mode talks to: it refuses callers without its secret, and signs every forwarded
// request with a fresh token from the credential (so a long agent session never runs on an expired token).
import * as assert from 'assert';
import { startAuthProxy, type AuthProxy } from '../../../src/core/backends/mcpAuthProxy';
import { SentinelMcpClient } from '../../../src/core/backends/mcpClient';
import { silentLogger } from '../../../src/core/types';
import { ANSWERS, FakeSentinelMcp, startFakeSentinelMcp } from '../backends/sentinelMcpServer';

describe('MCP auth proxy for agent mode', function () {
  this.timeout(20_000);
  let server: FakeSentinelMcp;
  let proxy: AuthProxy;
  let issued = 0;

  before(async () => {
    server = await startFakeSentinelMcp(['tok-1', 'tok-2', 'tok-3', 'tok-4', 'tok-5', 'tok-6', 'tok-7', 'tok-8']);
    proxy = await startAuthProxy({
      target: server.url,
      tenantId: 'fabrikam.onmicrosoft.com',
      logger: silentLogger,
      getToken: async () => `tok-${++issued}`,
    });
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('forwards MCP calls with a new token per request and the guest-tenant header', async () => {
    server.pollAnswers = [ANSWERS.stillRunningJson];
    const client = new SentinelMcpClient(
      { kind: 'http', url: proxy.url, getToken: async () => proxy.headers.Authorization.slice('Bearer '.length) },
      { logger: silentLogger },
    );
    try {
      const { analysisId } = await client.analyzeUser(
        'megan.bowen@contoso.com',
        '2026-11-13T00:00:00Z',
        '2026-11-20T00:00:00Z',
      );
      assert.strictEqual(analysisId, '6a1f0c2e-7b7d-4c55-9a43-0e1b2c3d4e5f');
      assert.strictEqual((await client.getEntityAnalysis(analysisId)).status, 'running');
    } finally {
      await client.close();
    }
    const auths = server.calls.map((c) => c.auth);
    assert.deepStrictEqual(
      server.calls.map((c) => c.tool),
      ['analyze_user_entity', 'get_entity_analysis'],
    );
    assert.ok(
      auths.every((a) => /^Bearer tok-\d$/.test(a ?? '')),
      auths.join(),
    );
    assert.notStrictEqual(auths[0], auths[1], 'each request signed with a token asked for then');
    assert.ok(server.calls.every((c) => c.tenant === 'fabrikam.onmicrosoft.com'));
  });

  it('refuses a caller without the proxy secret (no borrowing the sign-in through the port)', async () => {
    const before = issued;
    const res = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer guess' },
      body: '{}',
    });
    assert.strictEqual(res.status, 401);
    assert.strictEqual(issued, before, 'no token was asked for');
  });
});
