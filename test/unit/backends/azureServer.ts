// A loopback stand-in for Azure that speaks the real wire formats: ARM (Microsoft.OperationalInsights,
// Microsoft.SecurityInsights) and the Log Analytics query API. Records every request for assertions.
import * as http from 'http';
import type { AddressInfo } from 'net';

export const TOKEN = 'test-token-not-a-secret';
export const SUB = '00000000-0000-0000-0000-00000000000a';
export const WS_ID = `/subscriptions/${SUB}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws`;
export const CUSTOMER_ID = '11111111-2222-3333-4444-555555555555';
const SI = `${WS_ID}/providers/Microsoft.SecurityInsights`;

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  auth?: string;
  ifMatch?: string;
  body?: unknown;
}

function incident(n: number, over: Record<string, unknown> = {}) {
  const name = `0000000${n}-aaaa-bbbb-cccc-dddddddddddd`;
  return {
    id: `${SI}/incidents/${name}`,
    name,
    etag: '"1"',
    type: 'Microsoft.SecurityInsights/Incidents',
    properties: {
      title: `Incident ${n}`,
      incidentNumber: n,
      severity: n % 2 ? 'High' : 'Medium',
      status: 'New',
      owner: n === 3 ? { assignedTo: 'Alice', userPrincipalName: 'alice@contoso.com' } : {},
      createdTimeUtc: new Date(Date.UTC(2026, 0, 1, 10 - n)).toISOString(),
      lastActivityTimeUtc: new Date(Date.UTC(2026, 0, 1, 11 - n)).toISOString(),
      incidentUrl: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${SI}/incidents/${name}`,
      additionalData: { alertsCount: 2, tactics: ['CredentialAccess'] },
      relatedAnalyticRuleIds: [],
      ...over,
    },
  };
}

export interface FakeAzure {
  url: string;
  requests: Recorded[];
  comments: { incident: string; id: string; message: string }[];
  /** How many 429s alertRules answers before it succeeds. */
  throttleAlertRules: number;
  /** Retry-After (seconds) sent with those 429s. */
  retryAfterSeconds: number;
  /** Incidents changed by PUT (or by `changeIncident`), by name; each change bumps the etag. */
  changed: Map<string, ReturnType<typeof incident>>;
  /** Another analyst's change: the stored incident gets these properties and a new etag. */
  changeIncident(name: string, properties: Record<string, unknown>): void;
  /** How many 429s a query containing 'throttle once' gets. */
  throttleQueries: number;
  /** Incidents ARM returns per page, whatever $top asks (ARM caps pages). */
  pageCap: number;
  /** When set, incident 2 comes back without its severity (a malformed ARM answer). */
  malformedIncident: boolean;
  /**
   * A 200 answer that replaces the normal one, by route: 'tenants', 'subscriptions', 'workspaces', 'workspace',
   * 'alerts', 'comments', 'alertRules', 'automationRules', 'dataConnectors' (malformed answers of each ARM response type).
   */
  answers: Map<string, unknown>;
  close(): Promise<void>;
}

export async function startFakeAzure(): Promise<FakeAzure> {
  const changed = new Map<string, ReturnType<typeof incident>>();
  let version = 1;
  const current = (name: string) => changed.get(name) ?? incident(Number(name[7]));
  const changeIncident = (name: string, properties: Record<string, unknown>) => {
    const before = current(name);
    changed.set(name, { ...before, etag: `"${++version}"`, properties: { ...before.properties, ...properties } });
  };
  const state: Omit<FakeAzure, 'url' | 'close'> = {
    requests: [],
    comments: [],
    throttleAlertRules: 1,
    retryAfterSeconds: 1,
    changed,
    changeIncident,
    throttleQueries: 1,
    pageCap: 1000,
    malformedIncident: false,
    answers: new Map(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const rec: Recorded = {
        method: req.method ?? '',
        path: u.pathname,
        query: u.searchParams,
        auth: req.headers.authorization,
        ifMatch: req.headers['if-match'],
      };
      if (text) rec.body = JSON.parse(text);
      state.requests.push(rec);
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        return send(401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed.' } });
      }
      const p = decodeURIComponent(u.pathname);
      const base = `http://${req.headers.host}`;
      // ---- Log Analytics
      if (req.method === 'POST' && p === `/v1/workspaces/${CUSTOMER_ID}/query`) {
        const q = String((rec.body as { query?: string }).query);
        if (q.includes('syntax error')) {
          // The nested form Log Analytics sends for KQL syntax errors (the deepest innererror has line/pos).
          return send(400, {
            error: {
              code: 'BadArgumentError',
              message: 'The request had some invalid properties',
              correlationId: 'c-1',
              innererror: {
                code: 'SyntaxError',
                message: 'A recognition error occurred in the query.',
                innererror: {
                  code: 'SYN0002',
                  message: "Query could not be parsed at 'error' on line [2,7]",
                  line: 2,
                  pos: 7,
                  token: 'error',
                },
              },
            },
          });
        }
        if (q.includes('malformed answer')) return send(200, { status: 'ok', rows: 'not a table' });
        if (q.includes('nameless column'))
          return send(200, { tables: [{ name: 'PrimaryResult', columns: [{ type: 'string' }], rows: [['x']] }] });
        if (q.includes('throttle once') && state.throttleQueries > 0) {
          state.throttleQueries--;
          return send(429, { error: { code: 'TooManyRequests', message: 'Rate limit' } }, { 'Retry-After': '1' });
        }
        if (q.includes('no rights')) {
          return send(403, {
            error: {
              code: 'InsufficientAccessError',
              message: 'The provided credentials have insufficient access to perform the requested operation',
            },
          });
        }
        const table = {
          name: 'PrimaryResult',
          columns: [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'UserPrincipalName', type: 'string' },
            { name: 'Count', type: 'long' },
            { name: 'Details', type: 'dynamic' },
          ],
          rows: [
            ['2026-01-01T01:02:03Z', 'alice@contoso.com', 7, '{"city":"Oslo"}'],
            ['2026-01-01T02:00:00Z', 'bob@contoso.com', 3, null],
          ],
        };
        if (q.includes('partial')) {
          return send(200, {
            tables: [table],
            error: {
              code: 'PartialError',
              message: 'There were some errors when processing your query.',
              details: [],
              innererror: {
                code: 'LimitsExceeded',
                message: 'Query result set has exceeded the internal data size limit',
              },
            },
          });
        }
        return send(200, { tables: [table] });
      }
      if (p.includes('/resourceGroups/forbidden-rg/')) {
        return send(403, {
          error: {
            code: 'AuthorizationFailed',
            message:
              "The client does not have authorization to perform action 'Microsoft.SecurityInsights/incidents/read'.",
          },
        });
      }
      // ---- ARM: discovery
      const listed =
        req.method !== 'GET'
          ? undefined
          : p === '/tenants'
            ? 'tenants'
            : p === '/subscriptions'
              ? 'subscriptions'
              : p === `/subscriptions/${SUB}/providers/Microsoft.OperationalInsights/workspaces`
                ? 'workspaces'
                : undefined;
      if (listed && state.answers.has(listed)) return send(200, state.answers.get(listed));
      if (req.method === 'GET' && p === '/tenants') {
        return send(200, {
          value: [
            {
              id: '/tenants/t-1',
              tenantId: 'tttttttt-0000-0000-0000-000000000001',
              displayName: 'Contoso',
              defaultDomain: 'contoso.com',
            },
            {
              id: '/tenants/t-2',
              tenantId: 'tttttttt-0000-0000-0000-000000000002',
              displayName: 'Fabrikam',
              defaultDomain: 'fabrikam.com',
            },
          ],
        });
      }
      if (req.method === 'GET' && p === '/subscriptions') {
        return send(200, {
          value: [
            {
              id: `/subscriptions/${SUB}`,
              subscriptionId: SUB,
              displayName: 'SOC production',
              state: 'Enabled',
              tenantId: 'tttttttt-0000-0000-0000-000000000001',
            },
            { id: '/subscriptions/old', subscriptionId: 'old', displayName: 'Old', state: 'Disabled' },
          ],
        });
      }
      if (req.method === 'GET' && p === `/subscriptions/${SUB}/providers/Microsoft.OperationalInsights/workspaces`) {
        return send(200, {
          value: [
            { id: WS_ID, name: 'soc-ws', location: 'westeurope', properties: { customerId: CUSTOMER_ID } },
            {
              id: WS_ID.replace('soc-ws', 'app-logs'),
              name: 'app-logs',
              location: 'westeurope',
              properties: { customerId: 'x' },
            },
          ],
        });
      }
      if (req.method === 'GET' && p.endsWith('/providers/Microsoft.SecurityInsights/onboardingStates')) {
        if (p.startsWith(WS_ID + '/'))
          return send(200, { value: [{ id: `${SI}/onboardingStates/default`, name: 'default', properties: {} }] });
        return send(404, { error: { code: 'NotFound', message: 'Sentinel is not onboarded' } });
      }
      // ---- ARM
      const route =
        req.method === 'GET' && p === WS_ID
          ? 'workspace'
          : req.method === 'POST' && p.startsWith(`${SI}/incidents/`) && p.endsWith('/alerts')
            ? 'alerts'
            : req.method === 'GET' && p.startsWith(`${SI}/incidents/`) && p.endsWith('/comments')
              ? 'comments'
              : req.method === 'GET' &&
                  [`${SI}/alertRules`, `${SI}/automationRules`, `${SI}/dataConnectors`].includes(p)
                ? p.slice(SI.length + 1)
                : undefined;
      if (route && state.answers.has(route)) return send(200, state.answers.get(route));
      if (req.method === 'GET' && p === WS_ID) {
        return send(200, {
          id: WS_ID,
          name: 'soc-ws',
          location: 'westeurope',
          properties: { customerId: CUSTOMER_ID },
        });
      }
      if (req.method === 'GET' && p === `${SI}/incidents`) {
        const skip = Number(u.searchParams.get('$skipToken') ?? 0);
        const top = Math.min(state.pageCap, Number(u.searchParams.get('$top') ?? 50));
        const all = [1, 2, 3, 4, 5].map((n) => current(`0000000${n}-aaaa-bbbb-cccc-dddddddddddd`));
        if (state.malformedIncident) {
          const copy = { ...all[1], properties: { ...all[1].properties } as Record<string, unknown> };
          delete copy.properties.severity;
          all[1] = copy as (typeof all)[1];
        }
        const value = all.slice(skip, skip + top);
        const next =
          skip + top < all.length
            ? `${base}${SI}/incidents?api-version=${u.searchParams.get('api-version')}&$top=${top}&$skipToken=${skip + top}`
            : undefined;
        return send(200, next ? { value, nextLink: next } : { value });
      }
      const incMatch = /\/incidents\/([^/]+)(\/.*)?$/.exec(p);
      if (incMatch && p.startsWith(`${SI}/incidents/`)) {
        const [, name, rest] = incMatch;
        if (req.method === 'GET' && !rest) return send(200, current(name));
        if (req.method === 'PUT' && !rest) {
          // Optimistic concurrency as ARM does it: If-Match (or the body's etag) must be the current etag.
          const body = rec.body as { etag?: string; properties: Record<string, unknown> };
          const wanted = rec.ifMatch ?? body.etag;
          if (wanted && wanted !== current(name).etag) {
            return send(412, {
              error: {
                code: 'PreconditionFailed',
                message: 'The etag does not match the current version of the incident.',
              },
            });
          }
          const { owner, ...props } = body.properties;
          changeIncident(name, { ...props, owner: owner ?? {} });
          return send(200, current(name));
        }
        if (req.method === 'POST' && rest === '/alerts') {
          return send(200, {
            value: [
              {
                id: `${SI}/entities/a1`,
                name: 'a1',
                kind: 'SecurityAlert',
                properties: {
                  alertDisplayName: 'Password spray',
                  severity: 'High',
                  systemAlertId: 'a1',
                  tactics: ['CredentialAccess'],
                  productName: 'Azure Sentinel',
                  startTimeUtc: '2026-01-01T00:00:00Z',
                },
              },
            ],
          });
        }
        if (req.method === 'POST' && rest === '/entities') {
          return send(200, {
            entities: [
              {
                id: `${SI}/entities/e1`,
                name: 'e1',
                kind: 'Account',
                properties: { accountName: 'alice', upnSuffix: 'contoso.com', aadUserId: 'a-1', friendlyName: 'alice' },
              },
              {
                id: `${SI}/entities/e2`,
                name: 'e2',
                kind: 'Ip',
                properties: { address: '203.0.113.7', friendlyName: '203.0.113.7' },
              },
              { id: `${SI}/entities/e3`, name: 'e3', kind: 'Url', properties: { url: 'https://evil.example/login' } },
            ],
            metaData: [{ count: 1, entityKind: 'Account' }],
          });
        }
        if (req.method === 'GET' && rest === '/comments') {
          const value = state.comments
            .filter((c) => c.incident === name)
            .map((c) => ({
              name: c.id,
              properties: { message: c.message, createdTimeUtc: '2026-01-02T00:00:00Z', author: { name: 'Alice' } },
            }));
          return send(200, { value });
        }
        const cm = /^\/comments\/([0-9a-f-]{36})$/.exec(rest ?? '');
        if (req.method === 'PUT' && cm) {
          const message = (rec.body as { properties: { message: string } }).properties.message;
          state.comments.push({ incident: name, id: cm[1], message });
          return send(201, { name: cm[1], properties: { message } });
        }
      }
      if (req.method === 'GET' && p === `${SI}/alertRules`) {
        if (state.throttleAlertRules > 0) {
          state.throttleAlertRules--;
          return send(
            429,
            { error: { code: 'TooManyRequests', message: 'Too many requests' } },
            { 'Retry-After': String(state.retryAfterSeconds) },
          );
        }
        if (!u.searchParams.get('$skipToken')) {
          return send(200, {
            value: [
              {
                id: `${SI}/alertRules/r1`,
                name: 'r1',
                kind: 'Scheduled',
                properties: {
                  displayName: 'High_CredentialAccess_T1110',
                  severity: 'High',
                  tactics: ['CredentialAccess'],
                  techniques: ['T1110'],
                  query: 'SigninLogs',
                  enabled: true,
                },
              },
            ],
            nextLink: `${base}${SI}/alertRules?api-version=${u.searchParams.get('api-version')}&$skipToken=1`,
          });
        }
        return send(200, {
          value: [
            {
              id: `${SI}/alertRules/r2`,
              name: 'r2',
              kind: 'Fusion',
              properties: { displayName: 'Advanced Multistage Attack Detection', enabled: true },
            },
          ],
        });
      }
      if (req.method === 'GET' && p === `${SI}/automationRules`) {
        return send(403, {
          error: {
            code: 'AuthorizationFailed',
            message:
              "The client 'x' does not have authorization to perform action 'Microsoft.SecurityInsights/automationRules/read'.",
          },
        });
      }
      if (req.method === 'GET' && p === `${SI}/dataConnectors`) {
        return new Promise(() => undefined) as unknown as void; // never answers: timeouts
      }
      send(404, { error: { code: 'NotFound', message: `no route ${req.method} ${p}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fake = state as FakeAzure;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
