// A loopback Sentinel MCP server (data exploration collection) over Streamable HTTP, built with the SDK's own
// server classes: checks the bearer token on every request, can require the guest-tenant header, answer an
// intermittent 404 (Microsoft's troubleshooting page: "possible bug in refreshing tokens"), throttle, and
// give scripted get_entity_analysis answers (fixtures in test/fixtures/sentinel-mcp/answers.json).
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export type Answer = { text?: string; structured?: Record<string, unknown>; isError?: boolean };
export const ANSWERS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../fixtures/sentinel-mcp/answers.json'), 'utf8'),
) as Record<string, Answer>;

export interface FakeSentinelMcp {
  url: string;
  calls: { tool: string; args: Record<string, unknown>; auth?: string; tenant?: string }[];
  /** Accepted bearer tokens. */
  tokens: Set<string>;
  /** When set, requests without this x-mcp-client-tenant-id are refused with 401 (a token for the wrong tenant). */
  requireTenant?: string;
  /** The next N POSTs answer 404 Resource not found. */
  notFoundNext: number;
  throttleNext: number;
  /** get_entity_analysis answers, in order; the last one repeats. */
  pollAnswers: Answer[];
  startAnswer: Answer;
  /** Starts the poll answers from the first again. */
  resetPolls(): void;
  close(): Promise<void>;
}

export async function startFakeSentinelMcp(tokens: string[]): Promise<FakeSentinelMcp> {
  const state = {
    calls: [] as FakeSentinelMcp['calls'],
    tokens: new Set(tokens),
    notFoundNext: 0,
    throttleNext: 0,
    pollAnswers: [ANSWERS.stillRunningText, ANSWERS.userCompleted],
    startAnswer: ANSWERS.startJson,
  } as Omit<FakeSentinelMcp, 'url' | 'close'>;
  let polls = 0;
  const answer = (a: Answer) => ({
    content: [{ type: 'text' as const, text: a.text ?? JSON.stringify(a.structured) }],
    ...(a.structured ? { structuredContent: a.structured } : {}),
    ...(a.isError ? { isError: true } : {}),
  });
  const makeServer = (auth: string | undefined, tenant: string | undefined) => {
    const server = new McpServer({ name: 'sentinel-data-exploration', version: '1.0.0' });
    const register = server.registerTool.bind(server) as unknown as (
      name: string,
      config: { description: string; inputSchema: Record<string, z.ZodTypeAny> },
      handler: (args: Record<string, unknown>) => Promise<ReturnType<typeof answer>>,
    ) => void;
    const record = (tool: string, args: Record<string, unknown>) => state.calls.push({ tool, args, auth, tenant });
    const window = { startTime: z.string(), endTime: z.string(), workspaceId: z.string().optional() };
    register(
      'analyze_user_entity',
      { description: 'Starts a user analysis', inputSchema: { userId: z.string(), ...window } },
      async (args) => {
        record('analyze_user_entity', args);
        return answer(state.startAnswer);
      },
    );
    register(
      'analyze_url_entity',
      { description: 'Starts a URL analysis', inputSchema: { url: z.string(), ...window } },
      async (args) => {
        record('analyze_url_entity', args);
        return answer(state.startAnswer);
      },
    );
    register(
      'get_entity_analysis',
      { description: 'Gets an analysis result', inputSchema: { analysisId: z.string() } },
      async (args) => {
        record('get_entity_analysis', args);
        return answer(state.pollAnswers[Math.min(polls++, state.pollAnswers.length - 1)]);
      },
    );
    return server;
  };
  const httpServer = http.createServer(async (req, res) => {
    const auth = req.headers.authorization;
    const tenant = req.headers['x-mcp-client-tenant-id'] as string | undefined;
    const token = /^Bearer (.+)$/.exec(auth ?? '')?.[1];
    if (!token || !state.tokens.has(token) || (state.requireTenant && tenant !== state.requireTenant)) {
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
        .end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    if (req.method === 'POST' && state.notFoundNext > 0) {
      state.notFoundNext--;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Resource not found');
      return;
    }
    if (req.method === 'POST' && state.throttleNext > 0) {
      state.throttleNext--;
      res.writeHead(429, { 'retry-after': '1' }).end();
      return;
    }
    // Stateless: a fresh server and transport per request, as the SDK documents for simple servers.
    const server = makeServer(auth, tenant);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const fake = state as FakeSentinelMcp;
  fake.url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp/data-exploration`;
  fake.close = () =>
    new Promise((r) => {
      httpServer.closeAllConnections();
      httpServer.close(() => r());
    });
  return Object.assign(fake, { resetPolls: () => (polls = 0) });
}
