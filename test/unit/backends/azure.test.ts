// The Azure backend against loopback servers that speak ARM and Log Analytics, with the real SDK clients.
import * as assert from 'assert';
import { ThrottledError, TransientError } from '../../../src/core/analyzer/errors';
import { AzureBackend } from '../../../src/core/backends/azure/backend';
import {
  checkEndpoint,
  DEFAULT_ENDPOINTS,
  endpointsFromEnv,
  parseWorkspaceResourceId,
} from '../../../src/core/backends/azure/config';
import { staticTokenCredential, jwtExpiry } from '../../../src/core/backends/azure/credentials';
import { listSentinelWorkspaces, listSubscriptions, listTenants } from '../../../src/core/backends/azure/discovery';
import { UserError } from '../../../src/core/errors';
import { CUSTOMER_ID, FakeAzure, startFakeAzure, SUB, TOKEN, WS_ID } from './azureServer';

describe('Azure backend against loopback ARM and Log Analytics servers', function () {
  this.timeout(20000);
  let fake: FakeAzure;
  let backend: AzureBackend;
  const warnings: string[] = [];

  function make(extra: Partial<ConstructorParameters<typeof AzureBackend>[0]> = {}): AzureBackend {
    return new AzureBackend({
      workspaceResourceId: WS_ID,
      credential: staticTokenCredential(TOKEN),
      endpoints: endpointsFromEnv({ SWB_ARM_ENDPOINT: fake.url, SWB_LOGS_ENDPOINT: `${fake.url}/v1` }),
      logger: { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} },
      ...extra,
    });
  }

  before(async () => {
    fake = await startFakeAzure();
    backend = make();
  });
  after(() => fake.close());

  it('lists incidents newest first with $filter/$orderby/$top and follows nextLink page by page', async () => {
    const first = await backend.listIncidents({ severity: ['High', 'Medium'], status: ['New'] }, { top: 2 });
    assert.deepStrictEqual(
      first.incidents.map((i) => i.number),
      [1, 2],
    );
    const req = fake.requests.find((r) => r.path.endsWith('/incidents'))!;
    assert.strictEqual(req.auth, `Bearer ${TOKEN}`);
    assert.strictEqual(req.query.get('api-version'), '2025-06-01');
    assert.strictEqual(
      req.query.get('$filter'),
      "(properties/status eq 'New') and (properties/severity eq 'High' or properties/severity eq 'Medium')",
    );
    assert.strictEqual(req.query.get('$orderby'), 'properties/createdTimeUtc desc');
    assert.strictEqual(req.query.get('$top'), '2');
    assert.ok(first.nextPageToken);
    const second = await backend.listIncidents({}, { top: 2, pageToken: first.nextPageToken });
    assert.deepStrictEqual(
      second.incidents.map((i) => i.number),
      [3, 4],
    );
    assert.strictEqual(
      fake.requests[fake.requests.length - 1].query.get('$skipToken'),
      '2',
      'the nextLink is followed as is',
    );
    const third = await backend.listIncidents({}, { top: 2, pageToken: second.nextPageToken });
    assert.deepStrictEqual(
      third.incidents.map((i) => i.number),
      [5],
    );
    assert.strictEqual(third.nextPageToken, undefined);
    const i3 = second.incidents[0];
    assert.strictEqual(i3.owner, 'alice@contoso.com');
    assert.strictEqual(i3.alertsCount, 2);
    assert.deepStrictEqual(i3.tactics, ['CredentialAccess']);
    assert.match(i3.url ?? '', /^https:\/\/portal\.azure\.com\//);
  });

  it('applies owner and text filters that ARM cannot', async () => {
    const page = await backend.listIncidents({ owner: 'alice' }, { top: 50 });
    assert.deepStrictEqual(
      page.incidents.map((i) => i.number),
      [3],
    );
  });

  it('reads an incident with its alerts (POST …/alerts), entities (POST …/entities) and comments', async () => {
    const id = '00000003-aaaa-bbbb-cccc-dddddddddddd';
    await assert.rejects(backend.addIncidentComment(id, 'x'.repeat(30_001)), /at most 30,000 characters/);
    assert.ok(!fake.requests.some((r) => r.method === 'PUT'), 'a comment over the limit is not sent');
    await backend.addIncidentComment(id, 'Reset the password; MFA enforced.');
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    assert.match(put.path, /\/incidents\/00000003-aaaa-bbbb-cccc-dddddddddddd\/comments\/[0-9a-f-]{36}$/);
    assert.deepStrictEqual(put.body, { properties: { message: 'Reset the password; MFA enforced.' } });
    const details = await backend.getIncident(id);
    assert.strictEqual(details.incident.number, 3);
    assert.deepStrictEqual(
      details.alerts.map((a) => a.name),
      ['Password spray'],
    );
    assert.deepStrictEqual(
      details.entities.map((e) => `${e.kind}:${e.displayName}`),
      ['Account:alice@contoso.com', 'Ip:203.0.113.7', 'Url:https://evil.example/login'],
    );
    assert.deepStrictEqual(
      details.comments?.map((c) => c.message),
      ['Reset the password; MFA enforced.'],
    );
    assert.ok(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/entities')));
  });

  it('retries a 429 after its Retry-After and then follows the rule list nextLink', async () => {
    fake.throttleAlertRules = 1;
    fake.retryAfterSeconds = 1;
    const started = Date.now();
    const rules = await backend.listAnalyticsRules();
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    assert.deepStrictEqual(
      rules.map((r) => r.displayName),
      ['High_CredentialAccess_T1110', 'Advanced Multistage Attack Detection'],
    );
    assert.deepStrictEqual(rules[0].techniques, ['T1110']);
  });

  it('fails fast with ThrottledError when Retry-After is longer than the wait budget', async () => {
    fake.throttleAlertRules = 5;
    fake.retryAfterSeconds = 120;
    const err = await backend.listAnalyticsRules().then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof ThrottledError, String(err));
    assert.strictEqual(err.retryAfterMs, 120_000);
    assert.match(err.message, /throttling.*Try again in 120 s/);
    fake.throttleAlertRules = 0;
  });

  it('turns a 403 into a message naming the role and the workspace', async () => {
    const err = await backend.listAutomationRules().then(
      () => undefined,
      (e) => e,
    );
    assert.match(
      err.message,
      /You need the Microsoft Sentinel Reader role on workspace soc-ws to list automation rules \(403\)/,
    );
    assert.match(err.message, /AuthorizationFailed/);
  });

  it('turns a rejected token into a sign-in message', async () => {
    const other = new AzureBackend({
      workspaceResourceId: WS_ID,
      credential: staticTokenCredential('wrong'),
      endpoints: endpointsFromEnv({ SWB_ARM_ENDPOINT: fake.url, SWB_LOGS_ENDPOINT: `${fake.url}/v1` }),
    });
    const err = await other.listIncidents({}, { top: 5 }).then(
      () => undefined,
      (e) => e,
    );
    assert.match(err.message, /rejected the sign-in \(401\)/);
  });

  it('reports a request that never answers as a timeout', async () => {
    const slow = make({ requestTimeoutMs: 300 });
    const err = await slow.listDataConnectors().then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof TransientError);
    assert.match(err.message, /Azure did not answer within/);
  });

  it('runs KQL through LogsQueryClient against the workspace customer id, in wire form', async () => {
    const result = await backend.runQuery('SigninLogs | summarize Count=count() by UserPrincipalName', {
      timeRange: { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T00:00:00Z') },
    });
    const req = fake.requests.find((r) => r.path === `/v1/workspaces/${CUSTOMER_ID}/query`)!;
    assert.strictEqual(req.auth, `Bearer ${TOKEN}`);
    assert.deepStrictEqual(req.body, {
      query: 'SigninLogs | summarize Count=count() by UserPrincipalName',
      timespan: '2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z',
    });
    assert.deepStrictEqual(
      result.columns.map((c) => `${c.name}:${c.type}`),
      ['TimeGenerated:datetime', 'UserPrincipalName:string', 'Count:long', 'Details:dynamic'],
    );
    assert.deepStrictEqual(result.rows[0], ['2026-01-01T01:02:03Z', 'alice@contoso.com', 7, { city: 'Oslo' }]);
    assert.strictEqual(result.warnings, undefined);
  });

  it('surfaces a partial failure as a warning and keeps the partial rows', async () => {
    warnings.length = 0;
    const result = await backend.runQuery('SigninLogs | take 100000 // partial');
    assert.strictEqual(result.rows.length, 2);
    assert.match(
      result.warnings?.[0] ?? '',
      /Partial result: Query result set has exceeded the internal data size limit/,
    );
    assert.ok(
      warnings.some((w) => /Partial result/.test(w)),
      'logged too',
    );
  });

  it('reports a query Log Analytics rejects as bad input with the server message', async () => {
    const err = await backend.runQuery('syntax error').then(
      () => undefined,
      (e) => e,
    );
    assert.ok(err instanceof UserError);
    assert.match(err.message, /Query could not be parsed at 'error'/);
  });

  it('lists tenants, enabled subscriptions and only Sentinel-enabled workspaces for connecting', async () => {
    const tenants = await listTenants(backend.arm);
    assert.deepStrictEqual(
      tenants.map((t) => t.displayName),
      ['Contoso', 'Fabrikam'],
    );
    const subs = await listSubscriptions(backend.arm);
    assert.deepStrictEqual(
      subs.map((x) => x.subscriptionId),
      [SUB],
    );
    const workspaces = await listSentinelWorkspaces(backend.arm, SUB);
    assert.deepStrictEqual(
      workspaces.map((w) => [w.name, w.resourceGroup, w.customerId]),
      [['soc-ws', 'soc-rg', CUSTOMER_ID]],
    );
  });

  it('says analyses are not available when they are switched off', async () => {
    await assert.rejects(
      make({ analyzer: false }).startEntityAnalysis({
        entity: { type: 'User', id: 'alice@contoso.com' },
        startTime: '2026-01-01T00:00:00Z',
        endTime: '2026-01-02T00:00:00Z',
      }),
      /not available/,
    );
  });
});

describe('Azure configuration', () => {
  it('accepts plain http only for loopback hosts', () => {
    assert.strictEqual(checkEndpoint('http://127.0.0.1:8080/', 'x'), 'http://127.0.0.1:8080');
    assert.strictEqual(checkEndpoint('http://localhost:1/v1', 'x'), 'http://localhost:1/v1');
    assert.throws(
      () => checkEndpoint('http://management.example.com', 'ARM endpoint'),
      /only allowed for loopback hosts/,
    );
    assert.throws(() => checkEndpoint('not a url', 'ARM endpoint'), /not a URL/);
  });

  it('reads endpoint overrides for sovereign clouds from the environment', () => {
    const e = endpointsFromEnv({
      SWB_ARM_ENDPOINT: 'https://management.usgovcloudapi.net',
      SWB_LOGS_ENDPOINT: 'https://api.loganalytics.us/v1',
      SWB_ARM_SCOPE: 'https://management.usgovcloudapi.net/.default',
    });
    assert.strictEqual(e.armEndpoint, 'https://management.usgovcloudapi.net');
    assert.strictEqual(e.logsEndpoint, 'https://api.loganalytics.us/v1');
    assert.strictEqual(e.armScope, 'https://management.usgovcloudapi.net/.default');
    assert.strictEqual(e.sentinelMcpUrl, DEFAULT_ENDPOINTS.sentinelMcpUrl);
  });

  it('parses workspace resource ids and rejects anything else clearly', () => {
    assert.strictEqual(
      parseWorkspaceResourceId(
        WS_ID.toLowerCase().replace('microsoft.operationalinsights', 'Microsoft.OperationalInsights'),
      ).subscriptionId,
      SUB,
    );
    assert.throws(
      () => parseWorkspaceResourceId('/subscriptions/x/resourceGroups/y'),
      /not a Log Analytics workspace resource id/,
    );
  });

  it('reads a token expiry from the JWT exp claim', () => {
    const jwt = `e30.${Buffer.from(JSON.stringify({ exp: 1893456000 })).toString('base64url')}.sig`;
    assert.strictEqual(jwtExpiry(jwt), 1893456000 * 1000);
    assert.strictEqual(jwtExpiry('opaque'), undefined);
  });
});

describe('Azure backend: a malformed ARM answer of each response type is an error showing the raw answer', function () {
  this.timeout(20000);
  let fake: FakeAzure;
  let backend: AzureBackend;
  const INCIDENT = '00000003-aaaa-bbbb-cccc-dddddddddddd';
  before(async () => {
    fake = await startFakeAzure();
    fake.throttleAlertRules = 0;
    backend = new AzureBackend({
      workspaceResourceId: WS_ID,
      credential: staticTokenCredential(TOKEN),
      endpoints: endpointsFromEnv({ SWB_ARM_ENDPOINT: fake.url, SWB_LOGS_ENDPOINT: `${fake.url}/v1` }),
    });
  });
  afterEach(() => fake.answers.clear());
  after(() => fake.close());

  const cases: {
    route: string;
    answer: unknown;
    call: () => Promise<unknown>;
    what: RegExp;
    problem: RegExp;
    shown: RegExp;
  }[] = [
    {
      route: 'alerts',
      call: () => backend.getIncident(INCIDENT),
      what: /an incident alert/,
      problem: /properties\.alertDisplayName/,
      answer: { value: [{ name: 'a1', kind: 'SecurityAlert', properties: { severity: 'High', systemAlertId: 'a1' } }] },
      shown: /"systemAlertId":"a1"/,
    },
    {
      route: 'alerts',
      call: () => backend.getIncident(INCIDENT),
      what: /read the incident alerts/,
      problem: /value/,
      answer: { alerts: [] },
      shown: /\{"alerts":\[\]\}/,
    },
    {
      route: 'alerts',
      call: () => backend.getIncident(INCIDENT),
      what: /an incident alert/,
      problem: /properties\.severity/,
      answer: {
        value: [{ name: 'a1', properties: { alertDisplayName: 'Spray', severity: 'Critical', systemAlertId: 'a1' } }],
      },
      shown: /"severity":"Critical"/,
    },
    {
      route: 'comments',
      call: () => backend.getIncident(INCIDENT),
      what: /an incident comment/,
      problem: /properties\.createdTimeUtc/,
      answer: { value: [{ name: 'c1', properties: { message: 'hi', createdTimeUtc: 'yesterday' } }] },
      shown: /"createdTimeUtc":"yesterday"/,
    },
    {
      route: 'workspace',
      call: () => backend.workspaceId(),
      what: /the Log Analytics workspace/,
      problem: /properties/,
      answer: { name: 'soc-ws' },
      shown: /\{"name":"soc-ws"\}/,
    },
    {
      route: 'workspace',
      call: () => backend.listWorkspaces(),
      what: /the Log Analytics workspace/,
      problem: /customerId/,
      answer: { name: 'soc-ws', properties: {} },
      shown: /"properties":\{\}/,
    },
    {
      route: 'alertRules',
      call: () => backend.listAnalyticsRules(),
      what: /an analytics rule/,
      problem: /a Scheduled rule needs a displayName/,
      answer: { value: [{ name: 'r1', kind: 'Scheduled', properties: { query: 'SigninLogs' } }] },
      shown: /"query":"SigninLogs"/,
    },
    {
      route: 'alertRules',
      call: () => backend.listAnalyticsRules(),
      what: /list analytics rules/,
      problem: /Expected object/,
      answer: 'Service Unavailable',
      shown: /Service Unavailable/,
    },
    {
      route: 'automationRules',
      call: () => backend.listAutomationRules(),
      what: /an automation rule/,
      problem: /triggeringLogic/,
      answer: { value: [{ name: 'ar1', properties: { displayName: 'Assign', order: 1, actions: [] } }] },
      shown: /"displayName":"Assign"/,
    },
    {
      route: 'tenants',
      call: () => listTenants(backend.arm),
      what: /a tenant/,
      problem: /tenantId/,
      answer: { value: [{ displayName: 'Contoso' }] },
      shown: /"displayName":"Contoso"/,
    },
    {
      route: 'subscriptions',
      call: () => listSubscriptions(backend.arm),
      what: /a subscription/,
      problem: /subscriptionId/,
      answer: { value: [{ subscriptionId: 42 }] },
      shown: /"subscriptionId":42/,
    },
    {
      route: 'workspaces',
      call: () => listSentinelWorkspaces(backend.arm, SUB),
      what: /a Log Analytics workspace/,
      problem: /id/,
      answer: { value: [{ id: '/somewhere/else', name: 'soc-ws' }] },
      shown: /"id":"\/somewhere\/else"/,
    },
    {
      route: 'dataConnectors',
      call: () => backend.listDataConnectors(),
      what: /a data connector/,
      problem: /kind/,
      answer: { value: [{ name: 'dc1', properties: {} }] },
      shown: /"name":"dc1"/,
    },
  ];
  for (const c of cases) {
    it(`${c.route}: ${JSON.stringify(c.answer).slice(0, 70)}`, async () => {
      fake.answers.set(c.route, c.answer);
      const err = await c.call().then(
        () => assert.fail('a malformed answer was accepted'),
        (e: Error) => e,
      );
      assert.strictEqual(err.name, 'InvalidAnswerError', err.stack);
      assert.match(err.message, c.what);
      assert.match(err.message, c.problem);
      assert.match(err.message, /The service answered:/);
      assert.match(err.message, c.shown);
    });
  }

  it('Log Analytics: a column without a name is not given one', async () => {
    const err = await backend.runQuery('SigninLogs | nameless column').then(
      () => assert.fail('accepted'),
      (e: Error) => e,
    );
    assert.strictEqual(err.name, 'InvalidAnswerError');
    assert.match(err.message, /Log Analytics.*columnDescriptors\.0\.name/);
    assert.match(err.message, /The service answered:/);
  });

  it('the raw answer shown is bounded and never repeats the bearer token', async () => {
    fake.answers.set('alerts', {
      value: [{ name: 'a1', properties: { echo: `Bearer ${TOKEN}`, filler: 'x'.repeat(5000) } }],
    });
    const err = await backend.getIncident(INCIDENT).then(
      () => assert.fail('accepted'),
      (e: Error) => e,
    );
    assert.ok(!err.message.includes(TOKEN), err.message.slice(0, 300));
    assert.match(err.message, /more characters\)/);
    assert.ok(err.message.length < 2600, String(err.message.length));
  });

  it('well-formed answers of the same routes still read (built-in rules without a displayName keep their name)', async () => {
    fake.answers.set('alertRules', {
      value: [{ name: 'BuiltInFusion', kind: 'Fusion', properties: { enabled: true } }],
    });
    fake.answers.set('dataConnectors', { value: [{ name: 'dc1', kind: 'AzureActiveDirectory', properties: {} }] });
    assert.deepStrictEqual(
      (await backend.listAnalyticsRules()).map((r) => [r.id, r.displayName, r.kind]),
      [['BuiltInFusion', 'BuiltInFusion', 'Fusion']],
    );
    assert.deepStrictEqual(await backend.listDataConnectors(), [
      { id: 'dc1', kind: 'AzureActiveDirectory', name: 'AzureActiveDirectory' },
    ]);
    const details = await backend.getIncident(INCIDENT);
    assert.deepStrictEqual(
      details.alerts.map((a) => [a.id, a.name, a.severity]),
      [['a1', 'Password spray', 'High']],
    );
  });
});
