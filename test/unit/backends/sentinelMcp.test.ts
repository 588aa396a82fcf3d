// Entity analyses through a Sentinel-MCP-compatible Streamable HTTP server built with the SDK's own
// server classes; the server checks the bearer token, and can throttle.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { ThrottledError } from '../../../src/core/analyzer/errors';
import { AzureBackend } from '../../../src/core/backends/azure/backend';
import { endpointsFromEnv } from '../../../src/core/backends/azure/config';
import { staticTokenCredential } from '../../../src/core/backends/azure/credentials';
import { CUSTOMER_ID, FakeAzure, startFakeAzure, TOKEN, WS_ID } from './azureServer';

interface FakeMcp {
  url: string;
  calls: { tool: string; args: Record<string, unknown>; auth?: string }[];
  throttleNext: number;
  close(): Promise<void>;
}

async function startFakeSentinelMcp(): Promise<FakeMcp> {
  const state = { calls: [] as FakeMcp['calls'], throttleNext: 0 };
  let currentAuth: string | undefined;
  const makeServer = () => {
    const server = new McpServer({ name: 'sentinel-data-exploration', version: '1.0.0' });
    // A plain signature: the SDK's generic one makes tsc instantiate zod types very deeply.
    const registerTool = server.registerTool.bind(server) as unknown as (
      name: string,
      config: { description: string; inputSchema: Record<string, z.ZodTypeAny> },
      handler: (args: Record<string, unknown>) => Promise<{ content: { type: 'text'; text: string }[] }>,
    ) => void;
    registerTool(
      'analyze_user_entity',
      {
        description: 'Starts a user analysis',
        inputSchema: {
          userId: z.string(),
          startTime: z.string(),
          endTime: z.string(),
          workspaceId: z.string().optional(),
        },
      },
      async (args) => {
        state.calls.push({ tool: 'analyze_user_entity', args, auth: currentAuth });
        return { content: [{ type: 'text', text: JSON.stringify({ analysisId: 'an-123', status: 'InProgress' }) }] };
      },
    );
    registerTool(
      'get_entity_analysis',
      {
        description: 'Gets an analysis result',
        inputSchema: { analysisId: z.string() },
      },
      async (args) => {
        state.calls.push({ tool: 'get_entity_analysis', args, auth: currentAuth });
        return {
          content: [
            {
              type: 'text',
              text: JSON.stringify({
                status: 'Completed',
                verdict: 'Compromised',
                confidence: 'High',
                summary: 'Password spray followed by a risky sign-in and an inbox rule.',
                recommendations: ['Reset the password'],
              }),
            },
          ],
        };
      },
    );
    return server;
  };
  const httpServer = http.createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
        .end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    if (state.throttleNext > 0 && req.method === 'POST') {
      state.throttleNext--;
      res.writeHead(429, { 'retry-after': '1' }).end();
      return;
    }
    currentAuth = req.headers.authorization;
    // Stateless: a fresh server and transport per request, as the SDK documents for simple servers.
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const fake = state as unknown as FakeMcp;
  fake.url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp/data-exploration`;
  fake.close = () =>
    new Promise((r) => {
      httpServer.closeAllConnections();
      httpServer.close(() => r());
    });
  return fake;
}

const USER_REQUEST = {
  entity: { type: 'User' as const, id: 'megan.bowen@contoso.com' },
  startTime: '2026-11-13T12:00:00Z',
  endTime: '2026-11-20T12:00:00Z',
};

describe('Azure backend analyses through a Streamable HTTP Sentinel MCP server', function () {
  this.timeout(20000);
  let arm: FakeAzure;
  let mcp: FakeMcp;
  const backends: AzureBackend[] = [];
  const make = (token = TOKEN) => {
    const b = new AzureBackend({
      workspaceResourceId: WS_ID,
      credential: staticTokenCredential(token),
      endpoints: endpointsFromEnv({
        SWB_ARM_ENDPOINT: arm.url,
        SWB_LOGS_ENDPOINT: `${arm.url}/v1`,
        SWB_SENTINEL_MCP_URL: mcp.url,
      }),
    });
    backends.push(b);
    return b;
  };

  before(async () => {
    arm = await startFakeAzure();
    mcp = await startFakeSentinelMcp();
  });
  after(async () => {
    for (const b of backends) await b.dispose();
    await mcp.close();
    await arm.close();
  });

  it('starts an analysis with the workspace id and the bearer token, then reads the verdict', async () => {
    const backend = make();
    const request = {
      entity: { type: 'User' as const, id: 'megan.bowen@contoso.com' },
      startTime: '2026-11-13T12:00:00Z',
      endTime: '2026-11-20T12:00:00Z',
    };
    const { analysisId } = await backend.startEntityAnalysis(request);
    assert.strictEqual(analysisId, 'an-123');
    const start = mcp.calls.find((c) => c.tool === 'analyze_user_entity')!;
    assert.deepStrictEqual(start.args, {
      userId: 'megan.bowen@contoso.com',
      startTime: '2026-11-13T12:00:00Z',
      endTime: '2026-11-20T12:00:00Z',
      workspaceId: CUSTOMER_ID,
    });
    assert.strictEqual(start.auth, `Bearer ${TOKEN}`);
    const poll = await backend.getEntityAnalysis(analysisId, undefined, request);
    assert.strictEqual(poll.status, 'completed');
    if (poll.status === 'completed') {
      assert.strictEqual(poll.result.verdict, 'Compromised');
      assert.strictEqual(poll.result.source, 'sentinel');
    }
  });

  it('retries after a 429 with Retry-After', async () => {
    const backend = make();
    mcp.throttleNext = 1;
    const before = Date.now();
    const poll = await backend.getEntityAnalysis('an-123', undefined, USER_REQUEST);
    assert.strictEqual(poll.status, 'completed');
    assert.ok(Date.now() - before >= 900);
  });

  it('fails with ThrottledError when the server keeps throttling', async () => {
    const backend = make();
    mcp.throttleNext = 10;
    const err = await backend.getEntityAnalysis('an-123').then(
      () => undefined,
      (e) => e,
    );
    mcp.throttleNext = 0;
    assert.ok(err instanceof ThrottledError, String(err));
  });

  it('says the sign-in was rejected when the bearer token is wrong', async () => {
    const backend = make('wrong-token');
    // the workspace id comes from ARM, which rejects the token too; pass it to reach the MCP server
    const err = await backend
      .startEntityAnalysis({
        entity: { type: 'Url', id: 'https://evil.example/' },
        startTime: '2026-11-13T12:00:00Z',
        endTime: '2026-11-20T12:00:00Z',
        workspaceId: CUSTOMER_ID,
      })
      .then(
        () => undefined,
        (e) => e,
      );
    assert.match(String(err?.message), /Sentinel MCP server rejected the sign-in \(401\)/);
  });
});
