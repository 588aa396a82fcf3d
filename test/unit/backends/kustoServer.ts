// A loopback Azure Data Explorer speaking the REST protocol: POST /v2/rest/query answers v2 frames
// (DataSetHeader, DataTable…, DataSetCompletion), POST /v1/rest/mgmt answers v1 tables. Behaviour by query text.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface FakeKusto {
  url: string;
  requests: { path: string; auth?: string; body: { db?: string; csl?: string; properties?: unknown } }[];
  /** How many `.show database schema` calls are refused (401) before it answers. */
  schemaFailures: number;
  close(): Promise<void>;
}

const header = { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' };
const table = (rows: unknown[]) => ({
  FrameType: 'DataTable',
  TableId: 1,
  TableKind: 'PrimaryResult',
  TableName: 'PrimaryResult',
  Columns: [
    { ColumnName: 'Timestamp', ColumnType: 'datetime' },
    { ColumnName: 'Account', ColumnType: 'string' },
    { ColumnName: 'Count', ColumnType: 'long' },
    { ColumnName: 'Extra', ColumnType: 'dynamic' },
  ],
  Rows: rows,
});
const completion = (errors?: unknown[]) => ({
  FrameType: 'DataSetCompletion',
  HasErrors: !!errors,
  Cancelled: false,
  ...(errors ? { OneApiErrors: errors } : {}),
});

export async function startFakeKusto(token: string): Promise<FakeKusto> {
  const state = { requests: [] as FakeKusto['requests'], schemaFailures: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      state.requests.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      // The client reads the cluster's cloud settings first (unauthenticated), as real clusters answer it.
      if (req.method === 'GET' && req.url === '/v1/rest/auth/metadata') {
        return send(200, {
          AzureAD: {
            LoginEndpoint: 'https://login.microsoftonline.com',
            LoginMfaRequired: false,
            KustoClientAppId: 'db662dc1-0cfe-4e1c-a843-19a68e65be58',
            KustoClientRedirectUri: 'https://microsoft/kustoclient',
            KustoServiceResourceId: 'https://kusto.kusto.windows.net',
            FirstPartyAuthorityUrl: 'https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a',
          },
        });
      }
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(401, { error: { code: 'Unauthorized', message: 'Unauthorized' } });
      const csl = String(body.csl ?? '');
      if (req.url === '/v1/rest/mgmt' && csl === '.show database schema as json') {
        if (state.schemaFailures > 0 && state.schemaFailures--)
          return send(401, { error: { code: 'Unauthorized', message: 'Unauthorized' } });
        const doc = {
          Databases: {
            SecurityArchive: {
              Name: 'SecurityArchive',
              Tables: {
                SigninLogs: {
                  Name: 'SigninLogs',
                  OrderedColumns: [
                    { Name: 'TimeGenerated', Type: 'System.DateTime', CslType: 'datetime' },
                    { Name: 'UserPrincipalName', Type: 'System.String', CslType: 'string' },
                  ],
                },
              },
            },
          },
        };
        return send(200, {
          Tables: [
            {
              TableName: 'Table_0',
              Columns: [{ ColumnName: 'DatabaseSchema', DataType: 'String', ColumnType: 'string' }],
              Rows: [[JSON.stringify(doc)]],
            },
          ],
        });
      }
      if (req.url !== '/v2/rest/query') return send(404, { error: { code: 'NotFound', message: 'no route' } });
      if (csl.includes('syntax error')) {
        return send(400, {
          error: {
            code: 'General_BadRequest',
            message: 'Request is invalid and cannot be executed.',
            '@type': 'Kusto.Data.Exceptions.SyntaxException',
            '@message': "Syntax error: SYN0002: Query could not be parsed at 'error' on line [1,19]",
            '@permanent': true,
          },
        });
      }
      if (csl.includes('forbidden'))
        return send(403, {
          error: { code: 'Forbidden', message: 'Principal is not authorized to read database SecurityArchive.' },
        });
      if (csl.includes('too many')) return send(429, { error: { code: 'TooManyRequests', message: 'Throttled' } });
      if (csl.includes('never answers')) return;
      if (csl.includes('malformed'))
        return send(200, [
          header,
          { FrameType: 'DataTable', TableKind: 'PrimaryResult', Columns: 'oops', Rows: [] },
          completion(),
        ]);
      const rows = [
        ['2026-11-19T08:00:00Z', 'alice@contoso.com', 12, { app: 'Outlook' }],
        ['2026-11-19T09:00:00Z', 'bob@contoso.com', 3, null],
      ];
      if (csl.includes('partial')) {
        const err = {
          error: {
            code: 'LimitsExceeded',
            message: 'Request is invalid and cannot be executed.',
            '@message': 'Query result set has exceeded the internal record count limit 500000',
            '@permanent': true,
          },
        };
        return send(200, [header, table([...rows, { OneApiErrors: [err] }]), completion([err])]);
      }
      return send(200, [header, table(rows), completion()]);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake = state as FakeKusto;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}
