// A loopback proxy in front of an MCP server reached over Streamable HTTP, for MCP clients we do not control
// (VS Code's agent mode): they talk to http://127.0.0.1:PORT/ with a per-process secret, and every request is
// forwarded to the real server with a fresh bearer token from our credential (and the guest-tenant header).
//
// Why a proxy and not the server definition's headers: a definition's headers are resolved once when the agent
// starts the server and then sent for as long as it runs, so the token expires under it (about an hour). The
// proxy asks the credential per request, which refreshes silently. The secret keeps other local processes from
// borrowing the user's sign-in through the open port.
import { randomBytes, timingSafeEqual } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Readable } from 'stream';
import type { Logger } from '../types';
import type { FetchLike } from './mcpClient';
import { checkEndpoint } from './azure/config';

export interface AuthProxyOptions {
  /** The real server, e.g. https://sentinel.microsoft.com/mcp/data-exploration */
  target: string;
  getToken: (signal?: AbortSignal) => Promise<string>;
  /** Sent as x-mcp-client-tenant-id (guest tenants). */
  tenantId?: string;
  logger: Logger;
  fetch?: FetchLike;
}

export interface AuthProxy {
  /** Where the MCP client connects. */
  url: string;
  /** Header the MCP client must send. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Request headers an MCP client sends that the server needs (Streamable HTTP transport). */
const FORWARD_REQUEST = ['accept', 'content-type', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];
/** Response headers not passed back: hop-by-hop, and encodings fetch already undid. */
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length']);

export async function startAuthProxy(o: AuthProxyOptions): Promise<AuthProxy> {
  const target = new URL(checkEndpoint(o.target, 'Sentinel MCP URL'));
  const secret = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${secret}`);
  const doFetch: FetchLike = o.fetch ?? ((u, i) => fetch(u, i));
  const server = http.createServer((req, res) => {
    void forward(req, res).catch((e) => {
      o.logger.warn(`MCP proxy: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'The Sentinel MCP server could not be reached through the proxy.' }));
    });
  });

  async function forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'not authorized for this proxy' }));
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const headers = new Headers();
    for (const name of FORWARD_REQUEST) {
      const v = req.headers[name];
      if (typeof v === 'string') headers.set(name, v);
    }
    headers.set('authorization', `Bearer ${await o.getToken(abort.signal)}`);
    if (o.tenantId) headers.set('x-mcp-client-tenant-id', o.tenantId);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const upstream = await doFetch(target, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' || chunks.length === 0 ? undefined : Buffer.concat(chunks),
      signal: abort.signal,
    });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!DROP_RESPONSE.has(k.toLowerCase())) out[k] = v;
    });
    res.writeHead(upstream.status, out);
    if (!upstream.body) {
      res.end();
      return;
    }
    // Streamed as it arrives: Server-Sent Events answers stay live.
    Readable.fromWeb(upstream.body as import('stream/web').ReadableStream)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  o.logger.info(`MCP proxy for ${target.host} listening on 127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    headers: { Authorization: `Bearer ${secret}` },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
