// Verdict edges with synthetic rows: a fake lake answers each rule's query with hand-written rows, so the
// score is exactly the sum of the weights the rows earn.
import * as assert from 'assert';
import { analyzeEntity } from '../../../src/core/analyzer/reasoning';
import { urlVerdictFor } from '../../../src/core/analyzer/reasoning/url';
import { userVerdictFor } from '../../../src/core/analyzer/reasoning/user';
import type { AnalysisResult } from '../../../src/core/analyzer/types';
import type { QueryResult } from '../../../src/core/types';
import { silentLogger } from '../../../src/core/types';

type Rows = Record<string, unknown>[];
const END = new Date('2027-03-10T12:00:00Z');
const START = new Date(END.getTime() - 7 * 86_400_000);
const TABLES = [
  'AlertEvidence',
  'SigninLogs',
  'CloudAppEvents',
  'IdentityInfo',
  'AADNonInteractiveUserSignInLogs',
  'BehaviorAnalytics',
  'AuditLogs',
  'ThreatIntelIndicators',
  'UrlClickEvents',
  'EmailUrlInfo',
  'EmailEvents',
  'Watchlist',
  'DeviceNetworkEvents',
];

function result(rows: Rows): QueryResult {
  const columns = rows.length ? Object.keys(rows[0]).map((name) => ({ name, type: 'string' as const })) : [];
  return {
    columns,
    rows: rows.map((r) => columns.map((c) => r[c.name])),
    stats: { rowsScanned: 0, rowsReturned: rows.length, elapsedMs: 0, truncated: false },
  };
}

/** Answers a query with the rows of the first route whose pattern matches it, else no rows. */
async function analyzeWith(
  type: 'User' | 'Url',
  id: string,
  routes: [RegExp, Rows][],
): Promise<AnalysisResult & { score: number }> {
  const identity: [RegExp, Rows] = [
    /^IdentityInfo\n\| where AccountUPN =~/,
    [
      {
        AccountUPN: 'pat@fabrikam.example',
        AccountObjectId: '0b7c1e52-3f1d-4a8e-9c2b-7d6e5f4a3b21',
        AccountDisplayName: 'Pat',
        Roles: '[]',
        IsAccountEnabled: true,
        Country: 'US',
        LastSeen: '2027-03-10T10:00:00Z',
      },
    ],
  ];
  const r = await analyzeEntity(
    {
      hasTable: (t) => TABLES.includes(t),
      logger: silentLogger,
      query: async (kql) => result([identity, ...routes].find(([re]) => re.test(kql))?.[1] ?? []),
    },
    { entity: { type, id }, startTime: START.toISOString(), endTime: END.toISOString() },
  );
  return { ...r, score: r.evidence.reduce((s, e) => s + (e.weight ?? 0), 0) };
}

const alert = (title: string, severity: string): Rows[number] => ({
  AlertId: title,
  Title: title,
  Severity: severity,
  ServiceSource: 'Defender',
  FirstSeen: '2027-03-09T10:00:00Z',
  EvidenceRows: 1,
});
const alerts = (...a: Rows): [RegExp, Rows] => [/^AlertEvidence/, a];
const ueba = (priority: number): [RegExp, Rows] => [
  /^BehaviorAnalytics/,
  [
    {
      ActivityType: 'LogOn',
      ActionType: 'Sign-in',
      SourceIPLocation: 'US',
      Events: 1,
      MaxPriority: priority,
      FirstSeen: '2027-03-09T10:00:00Z',
    },
  ],
];
const inboxRule = (params: { Name: string; Value: string }[]): [RegExp, Rows] => [
  /^CloudAppEvents\n[^]*ActionType in~/,
  [
    {
      TimeGenerated: '2027-03-09T11:00:00Z',
      ActionType: 'New-InboxRule',
      Application: 'Exchange',
      IPAddress: '198.51.100.52',
      CountryCode: 'US',
      Details: JSON.stringify({ Parameters: params }),
    },
  ],
];

describe('verdict thresholds', () => {
  it('user verdicts change exactly at 25 and 60', () => {
    assert.deepStrictEqual([24, 25, 59, 60].map(userVerdictFor), [
      'No evidence of compromise',
      'Suspicious activity found',
      'Suspicious activity found',
      'Compromised',
    ]);
  });
  it('URL verdicts change exactly at 25 and 60', () => {
    assert.deepStrictEqual([24, 25, 59, 60].map(urlVerdictFor), [
      'No evidence of malicious activity',
      'Suspicious',
      'Suspicious',
      'Malicious',
    ]);
  });

  // Rule weights are multiples of 5 (plus UEBA's 8), so 24 and 59 are not sums the rules can produce:
  // the nearest sums on each side of an edge are tested instead.
  describe('users, from synthetic rows', () => {
    it('23 (Low alert + a second title + UEBA 5) is No evidence of compromise', async () => {
      const r = await analyzeWith('User', 'pat@fabrikam.example', [
        alerts(alert('A', 'Low'), alert('B', 'Low')),
        ueba(5),
      ]);
      assert.strictEqual(r.score, 23);
      assert.strictEqual(r.verdict, 'No evidence of compromise');
    });
    it('25 (Medium alert + a second title) is Suspicious activity found', async () => {
      const r = await analyzeWith('User', 'pat@fabrikam.example', [alerts(alert('A', 'Medium'), alert('B', 'Low'))]);
      assert.strictEqual(r.score, 25);
      assert.strictEqual(r.verdict, 'Suspicious activity found');
    });
    it('58 (High alert + hiding inbox rule + UEBA 5) is Suspicious activity found', async () => {
      const r = await analyzeWith('User', 'pat@fabrikam.example', [
        alerts(alert('A', 'High')),
        ueba(5),
        inboxRule([
          { Name: 'Name', Value: 'x' },
          { Name: 'DeleteMessage', Value: 'True' },
        ]),
      ]);
      assert.strictEqual(r.score, 58);
      assert.strictEqual(r.verdict, 'Suspicious activity found');
    });
    it('60 (High alert + outside forwarding rule) is Compromised', async () => {
      const r = await analyzeWith('User', 'pat@fabrikam.example', [
        alerts(alert('A', 'High')),
        inboxRule([{ Name: 'ForwardTo', Value: 'x@drop.example.net' }]),
      ]);
      assert.strictEqual(r.score, 60);
      assert.strictEqual(r.verdict, 'Compromised');
    });
    it('the same forwarding rule to a tenant address scores 0: 30 stays Suspicious', async () => {
      const domains: [RegExp, Rows] = [
        /^IdentityInfo\n\| extend Domain/,
        [{ Domain: 'fabrikam.example', Accounts: 10 }],
      ];
      const r = await analyzeWith('User', 'pat@fabrikam.example', [
        domains,
        alerts(alert('A', 'High')),
        inboxRule([{ Name: 'ForwardTo', Value: 'assistant@fabrikam.example' }]),
      ]);
      assert.strictEqual(r.score, 30);
      assert.strictEqual(r.verdict, 'Suspicious activity found');
    });
  });

  describe('URLs, from synthetic rows', () => {
    const url = 'https://files.example.net/view';
    const clicks = (threat: string, through: boolean): [RegExp, Rows] => [
      /^UrlClickEvents\n[^]*by ActionType, IsClickedThrough/,
      [
        {
          ActionType: 'ClickBlocked',
          IsClickedThrough: through,
          ThreatTypes: threat,
          Clicks: 1,
          Users: 1,
          Accounts: '["a@fabrikam.example"]',
          FirstClick: '2027-03-09T10:00:00Z',
          LastClick: '2027-03-09T10:00:00Z',
        },
      ],
    ];
    const mail = (threat: string): [RegExp, Rows] => [
      /^EmailUrlInfo\n[^]*join kind=inner/,
      [
        {
          DeliveryAction: 'Junked',
          DeliveryLocation: 'Junk folder',
          ThreatTypes: threat,
          Messages: 1,
          Recipients: 1,
          FirstSeen: '2027-03-09T09:00:00Z',
          Senders: '["x@files.example.net"]',
          Subjects: '["s"]',
        },
      ],
    ];
    const expiredTi: [RegExp, Rows] = [
      /^ThreatIntelIndicators/,
      [
        {
          ObservableKey: 'url:value',
          ObservableValue: url,
          IsActive: false,
          LastUpdated: '2026-12-01T00:00:00Z',
          Confidence: 40,
          ValidUntil: '2027-01-01T00:00:00Z',
        },
      ],
    ];
    const allowed: [RegExp, Rows] = [
      /^Watchlist/,
      [
        {
          WatchlistAlias: 'ApprovedSites',
          SearchKey: 'files.example.net',
          Item: '{}',
          LastUpdated: '2027-02-01T00:00:00Z',
        },
      ],
    ];

    it('20 (Safe Links phish clicked through, allow-listed) is No evidence', async () => {
      const r = await analyzeWith('Url', url, [clicks('Phish', true), allowed]);
      assert.strictEqual(r.score, 20);
      assert.strictEqual(r.verdict, 'No evidence of malicious activity');
    });
    it('25 (the same plus an expired indicator) is Suspicious', async () => {
      const r = await analyzeWith('Url', url, [clicks('Phish', true), allowed, expiredTi]);
      assert.strictEqual(r.score, 25);
      assert.strictEqual(r.verdict, 'Suspicious');
    });
    it('55 (Safe Links phish + phish mail in junk) is Suspicious', async () => {
      const r = await analyzeWith('Url', url, [clicks('Phish', false), mail('Phish')]);
      assert.strictEqual(r.score, 55);
      assert.strictEqual(r.verdict, 'Suspicious');
    });
    it('60 (the same plus an expired indicator) is Malicious', async () => {
      const r = await analyzeWith('Url', url, [clicks('Phish', false), mail('Phish'), expiredTi]);
      assert.strictEqual(r.score, 60);
      assert.strictEqual(r.verdict, 'Malicious');
    });
  });
});
