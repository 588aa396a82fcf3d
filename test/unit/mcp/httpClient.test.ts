// The same client against a Streamable HTTP server that behaves like Microsoft's Sentinel MCP server:
// bearer token on every request, text-only answers that the typed wrappers must parse.
import * as assert from 'assert';
import * as http from 'http';
import { randomUUID } from 'crypto';
import type { AddressInfo } from 'net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { checkServerUrl, SentinelMcpClient } from '../../../src/core/backends/mcpClient';
import { UserError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/types';

interface Seen {
  auth: string[];
  tenant: string[];
  queryArgs: Record<string, unknown>[];
}

function fakeSentinel(seen: Seen): McpServer {
  const server = new McpServer({ name: 'fake-sentinel', version: '1.0.0' });
  let polls = 0;
  // Loosely typed: the SDK's generic inference over zod shapes is too deep for the compiler here.
  type Handler = (args: Record<string, string>) => Promise<CallToolResult>;
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: { inputSchema: Record<string, unknown> },
    cb: Handler,
  ) => void;
  register('query_lake', { inputSchema: { query: z.string(), workspaceId: z.string().optional() } }, async (args) => {
    seen.queryArgs.push(args);
    return {
      content: [
        {
          type: 'text',
          text: JSON.stringify({
            tables: [{ name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[42]] }],
          }),
        },
      ],
    };
  });
  register(
    'analyze_user_entity',
    {
      inputSchema: {
        userId: z.string(),
        startTime: z.string(),
        endTime: z.string(),
        workspaceId: z.string().optional(),
      },
    },
    async (): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: JSON.stringify({ analysisId: 'srv-123', status: 'Running' }) }],
    }),
  );
  register('get_entity_analysis', { inputSchema: { analysisId: z.string() } }, async ({ analysisId }) => {
    polls++;
    if (polls === 1) return { content: [{ type: 'text', text: 'The analysis is still in progress. Please retry.' }] };
    return {
      content: [
        {
          type: 'text',
          text: JSON.stringify({
            analysisId,
            status: 'Completed',
            verdict: 'Compromised',
            confidence: 'High',
            summary: 'Account takeover.',
            recommendations: ['Reset the password.'],
            evidence: [{ title: 'Spray', description: 'many failures' }],
          }),
        },
      ],
    };
  });
  return server;
}

describe('MCP client over Streamable HTTP with a bearer token', function () {
  this.timeout(30_000);
  let httpServer: http.Server;
  let url: string;
  const seen: Seen = { auth: [], tenant: [], queryArgs: [] };
  let tokens = 0;
  let client: SentinelMcpClient;

  before(async () => {
    const transports = new Map<string, StreamableHTTPServerTransport>();
    httpServer = http.createServer(async (req, res) => {
      const auth = String(req.headers.authorization ?? '');
      seen.auth.push(auth);
      seen.tenant.push(String(req.headers['x-mcp-client-tenant-id'] ?? ''));
      if (!/^Bearer tok-\d+$/.test(auth)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      const sid = req.headers['mcp-session-id'] as string | undefined;
      let t = sid ? transports.get(sid) : undefined;
      if (!t) {
        t = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            transports.set(id, t!);
          },
        });
        await fakeSentinel(seen).connect(t);
      }
      await t.handleRequest(req, res);
    });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp/data-exploration`;
    client = new SentinelMcpClient(
      { kind: 'http', url, tenantId: 'guest-tenant', getToken: async () => `tok-${++tokens}` },
      { logger: silentLogger },
    );
  });
  after(async () => {
    await client?.close();
    httpServer.closeAllConnections();
    await new Promise((r) => httpServer.close(r));
  });

  it('sends a fresh bearer token and the tenant header with every request', async () => {
    const r = await client.queryLake('SigninLogs | count', { startTime: '2026-01-01T00:00:00Z', maxRows: 5 });
    assert.deepStrictEqual(r.rows, [[42]]);
    assert.deepStrictEqual(r.columns, [{ name: 'n', type: 'long' }]);
    assert.ok(seen.auth.length >= 2 && seen.auth.every((a) => /^Bearer tok-\d+$/.test(a)));
    assert.strictEqual(new Set(seen.auth).size, seen.auth.length, 'a token per request');
    assert.ok(seen.tenant.every((t) => t === 'guest-tenant'));
    assert.deepStrictEqual(
      seen.queryArgs.at(-1),
      { query: 'SigninLogs | count' },
      'local-only extension arguments are not sent',
    );
  });

  it('parses text-only analysis answers: start, "in progress", verdict marked as from the service', async () => {
    const { analysisId } = await client.analyzeUser(
      'megan.bowen@contoso.com',
      '2026-11-13T00:00:00Z',
      '2026-11-20T00:00:00Z',
    );
    assert.strictEqual(analysisId, 'srv-123');
    const request = {
      entity: { type: 'User' as const, id: 'megan.bowen@contoso.com' },
      startTime: '2026-11-13T00:00:00Z',
      endTime: '2026-11-20T00:00:00Z',
    };
    assert.deepStrictEqual(await client.getEntityAnalysis(analysisId, { request }), {
      status: 'running',
      analysisId,
      message: 'The analysis is still in progress. Please retry.',
    });
    const done = await client.getEntityAnalysis(analysisId, { request });
    assert.strictEqual(done.status, 'completed');
    if (done.status === 'completed') {
      assert.strictEqual(done.result.verdict, 'Compromised');
      assert.strictEqual(done.result.source, 'sentinel');
      assert.deepStrictEqual(done.result.recommendations, ['Reset the password.']);
      assert.strictEqual(done.result.evidence[0].detail, 'many failures');
      assert.deepStrictEqual(done.result.entity, request.entity);
      assert.deepStrictEqual(done.result.window, { startTime: request.startTime, endTime: request.endTime });
      assert.strictEqual(done.result.expiresAt, undefined, 'no expiry the service did not send');
    }
  });

  it('a rejected token fails the call', async () => {
    const bad = new SentinelMcpClient({ kind: 'http', url, getToken: async () => 'expired' }, { logger: silentLogger });
    await assert.rejects(bad.listWorkspaces(), /401|unauthorized|Unauthorized/);
    await bad.close();
  });

  it('accepts https, and plain http only on loopback', () => {
    assert.ok(checkServerUrl('https://sentinel.microsoft.com/mcp/data-exploration'));
    assert.ok(checkServerUrl('http://127.0.0.1:8080/mcp'));
    assert.throws(() => checkServerUrl('http://sentinel.example.com/mcp'), UserError);
    assert.throws(
      () =>
        new SentinelMcpClient(
          { kind: 'http', url: 'http://10.0.0.5/mcp', getToken: async () => 'x' },
          { logger: silentLogger },
        ),
      UserError,
    );
  });
});
