// A loopback Microsoft Graph that answers POST /v1.0/security/runHuntingQuery in the documented shape
// ({schema:[{name,type}], results:[{...}]}) and its error forms, chosen by words in the query text.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface FakeGraph {
  url: string;
  requests: { auth?: string; body: { Query?: string; Timespan?: string } }[];
  throttleOnce: number;
  close(): Promise<void>;
}

export async function startFakeGraph(token: string): Promise<FakeGraph> {
  const state = { requests: [] as FakeGraph['requests'], throttleOnce: 1 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
      if (req.method !== 'POST' || req.url !== '/v1.0/security/runHuntingQuery')
        return send(404, { error: { code: 'ResourceNotFound', message: 'no route' } });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      state.requests.push({ auth: req.headers.authorization, body });
      const q = String(body.Query ?? '');
      if (q.includes('syntax error'))
        return send(400, {
          error: { code: 'BadRequest', message: "Query could not be parsed at 'error' on line [1,26]" },
        });
      if (q.includes('no rights'))
        return send(403, {
          error: { code: 'Forbidden', message: 'Missing application permission ThreatHunting.Read.All' },
        });
      if (q.includes('cpu quota'))
        return send(
          429,
          { error: { code: 'TooManyRequests', message: 'CPU quota exceeded: 10 minutes of query time per hour' } },
          { 'Retry-After': '1800' },
        );
      if (q.includes('throttle once') && state.throttleOnce > 0) {
        state.throttleOnce--;
        return send(
          429,
          { error: { code: 'TooManyRequests', message: 'Too many requests: 45 per minute' } },
          { 'Retry-After': '1' },
        );
      }
      if (q.includes('malformed')) return send(200, { Results: [{ a: 1 }] });
      if (q.includes('never answers')) return; // timeouts
      if (q.includes('row cap')) {
        return send(200, {
          schema: [{ name: 'n', type: 'Int64' }],
          results: Array.from({ length: 100_000 }, (_, n) => ({ n })),
        });
      }
      return send(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults',
        schema: [
          { name: 'Timestamp', type: 'DateTime' },
          { name: 'DeviceName', type: 'String' },
          { name: 'ProcessId', type: 'Int64' },
          { name: 'AdditionalFields', type: 'Object' },
          { name: 'IsElevated', type: 'Boolean' },
        ],
        results: [
          {
            Timestamp: '2026-11-19T08:01:02.123Z',
            DeviceName: 'wks-01',
            ProcessId: 4242,
            AdditionalFields: { parent: 'explorer.exe' },
            IsElevated: true,
          },
          { Timestamp: '2026-11-19T09:00:00Z', DeviceName: 'wks-02', ProcessId: 7 },
        ],
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake = state as FakeGraph;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
  fake.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}
