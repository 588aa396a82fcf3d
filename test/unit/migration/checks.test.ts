import * as assert from 'assert';
import {
  describeAction,
  describeCondition,
  automationMarkdown,
  summariseAutomationRule,
} from '../../../src/core/migration/automation';
import { CHECKLIST, DUPLICATE_INCIDENTS_QUERY } from '../../../src/core/migration/checklist';
import { runCheck } from '../../../src/core/migration/checks';
import {
  classifyConnector,
  connectorRowsFromResult,
  ConnectorRow,
  diffConnectors,
} from '../../../src/core/migration/connectors';
import type { QueryResult } from '../../../src/core/types';

const row = (connectorId: string, name: string, state = 'Connected', time = '2026-01-01T00:00:00Z'): ConnectorRow => ({
  connectorId,
  kind: connectorId,
  name,
  state,
  time,
});
const now = () => new Date('2026-01-10T12:00:00Z');

function result(columns: string[], rows: unknown[][]): QueryResult {
  return {
    columns: columns.map((name) => ({ name, type: 'string' })),
    rows,
    stats: { rowsScanned: rows.length, rowsReturned: rows.length, elapsedMs: 1, truncated: false },
  };
}

describe('migration: connector diff', () => {
  const before = [
    row('AzureActiveDirectory', 'Microsoft Entra ID'),
    row('Office365', 'Microsoft 365'),
    row('MicrosoftCloudAppSecurity', 'Microsoft Defender for Cloud Apps', 'Disconnected'),
  ];
  const current = [
    row('AzureActiveDirectory', 'Microsoft Entra ID'),
    row('MicrosoftDefenderAdvancedThreatProtection', 'Microsoft Defender for Endpoint'),
    row('AzureSecurityCenter', 'Microsoft Defender for Cloud'),
    row('MicrosoftCloudAppSecurity', 'Microsoft Defender for Cloud Apps'),
    row('AzureActiveDirectoryIdentityProtection', 'Microsoft Entra ID Protection'),
    row('Office365', 'Microsoft 365', 'Disconnected'),
  ];

  it('classifies the connectors that auto-enable by id, kind or name', () => {
    assert.strictEqual(classifyConnector(row('MicrosoftDefenderAdvancedThreatProtection', ''))?.autoEnable, 'yes');
    assert.strictEqual(classifyConnector(row('x', 'Microsoft Defender for Cloud'))?.autoEnable, 'yes');
    assert.strictEqual(classifyConnector(row('x', 'Microsoft Defender for Cloud Apps'))?.autoEnable, 'conditional');
    assert.strictEqual(classifyConnector(row('AzureActiveDirectoryIdentityProtection', ''))?.autoEnable, 'no');
    assert.strictEqual(classifyConnector(row('AzureActiveDirectory', 'Microsoft Entra ID')), undefined);
  });

  it('lists what appeared with its expectation, and what went away', () => {
    const d = diffConnectors(before, current);
    assert.deepStrictEqual(
      d.appeared.map((a) => [a.connectorId, a.autoEnable, a.change]),
      [
        ['AzureActiveDirectoryIdentityProtection', 'no', 'new'],
        ['MicrosoftCloudAppSecurity', 'conditional', 'switchedOn'],
        ['AzureSecurityCenter', 'yes', 'new'],
        ['MicrosoftDefenderAdvancedThreatProtection', 'yes', 'new'],
      ],
    );
    assert.deepStrictEqual(
      d.disappeared.map((r) => r.connectorId),
      ['Office365'],
    );
    assert.deepStrictEqual([d.beforeCount, d.currentCount], [2, 5]);
    assert.deepStrictEqual(d.expectedNotSeen, []);
  });

  it('uses the latest row per connector and nothing appears when inventories match', () => {
    const rows = [
      row('AzureSecurityCenter', 'Defender for Cloud', 'Disconnected', '2026-01-01T00:00:00Z'),
      row('AzureSecurityCenter', 'Defender for Cloud', 'Connected', '2026-01-02T00:00:00Z'),
    ];
    const d = diffConnectors(rows, rows);
    assert.deepStrictEqual(d.appeared, []);
    assert.deepStrictEqual(
      d.expectedNotSeen.map((e) => [e.product, e.reason]),
      [
        ['Microsoft Defender for Cloud Apps', 'not connected now'],
        ['Microsoft Defender for Endpoint', 'not connected now'],
        ['Microsoft Defender for Cloud', 'already connected before the cutover'],
      ],
    );
  });

  it('reads inventory rows from a query result regardless of column order', () => {
    const rows = connectorRowsFromResult(
      result(
        ['State', 'Name', 'ConnectorId', 'Kind', 'TimeGenerated'],
        [
          [
            'Connected',
            'Defender for Endpoint',
            'MDE',
            'MicrosoftDefenderAdvancedThreatProtection',
            '2026-01-01T00:00:00Z',
          ],
        ],
      ),
    );
    assert.deepStrictEqual(rows, [
      {
        connectorId: 'MDE',
        kind: 'MicrosoftDefenderAdvancedThreatProtection',
        name: 'Defender for Endpoint',
        state: 'Connected',
        time: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it('the connectors check queries both inventories and summarises', async () => {
    const run = await runCheck('connectors', {
      now,
      connectorsBefore: async () => ({ rows: before, source: 'before' }),
      connectorsCurrent: async () => ({ rows: current, source: 'current' }),
    });
    assert.strictEqual(run.status, 'findings');
    assert.strictEqual(
      run.summary,
      '4 connectors appeared (Microsoft Entra ID Protection, Microsoft Defender for Cloud Apps, Microsoft Defender for Cloud, Microsoft Defender for Endpoint), 1 not expected',
    );
    assert.strictEqual(run.ranAt, '2026-01-10T12:00:00.000Z');
  });
});

describe('migration: duplicate incidents check', () => {
  it('runs the exact query through the injected runQuery and explains the cause', async () => {
    const seen: string[] = [];
    const run = await runCheck('duplicateIncidents', {
      now,
      source: 'test',
      runQuery: async (q) => {
        seen.push(q);
        return result(
          ['Title', 'IncidentCount'],
          [
            ['Password spray', 3],
            ['Inbox rule', 2],
          ],
        );
      },
    });
    assert.deepStrictEqual(seen, [DUPLICATE_INCIDENTS_QUERY]);
    assert.strictEqual(
      DUPLICATE_INCIDENTS_QUERY,
      'SecurityIncident | where TimeGenerated > ago(7d) | summarize IncidentCount = count() by Title | where IncidentCount > 1 | order by IncidentCount desc',
    );
    assert.strictEqual(run.checkId, 'duplicateIncidents');
    if (run.checkId !== 'duplicateIncidents') return;
    assert.deepStrictEqual(run.data?.rows, [
      { title: 'Password spray', count: 3 },
      { title: 'Inbox rule', count: 2 },
    ]);
    assert.match(run.summary, /2 titles raised more than once in 7 days \(3 extra incidents\)/);
    assert.match(run.data!.cause, /Microsoft incident creation rules/);
  });

  it('reports a failing backend as an error result, and no duplicates as ok', async () => {
    const failed = await runCheck('duplicateIncidents', {
      now,
      runQuery: async () => {
        throw new Error("table 'SecurityIncident' not found");
      },
    });
    assert.deepStrictEqual([failed.status, failed.error], ['error', "table 'SecurityIncident' not found"]);
    const none = await runCheck('duplicateIncidents', {
      now,
      runQuery: async () => result(['Title', 'IncidentCount'], []),
    });
    assert.deepStrictEqual([none.status, none.summary], ['ok', 'no incident title repeated in the last 7 days']);
    const missing = await runCheck('duplicateIncidents', { now });
    assert.match(missing.error!, /needs a backend/);
  });

  it('names the Microsoft incident creation rules to turn off', async () => {
    const creation = {
      id: 'r9',
      title: 'Create incidents based on Microsoft Defender XDR alerts',
      kind: 'MicrosoftSecurityIncidentCreation',
      enabled: true,
      tactics: [],
      techniques: [],
      location: { file: 'rules/export.json', line: 12 },
      origin: 'arm' as const,
    };
    const scheduled = { ...creation, id: 'r1', title: 'High_CredentialAccess_T1110', kind: 'Scheduled' };
    const run = await runCheck('duplicateIncidents', {
      now,
      runQuery: async () => result(['Title', 'IncidentCount'], [['x', 2]]),
      analyticsRules: async () => ({ rules: [creation, scheduled], errors: [], sources: [] }),
    });
    assert.ok(run.checkId === 'duplicateIncidents');
    assert.deepStrictEqual(run.data?.incidentCreationRules, [
      {
        id: 'r9',
        title: 'Create incidents based on Microsoft Defender XDR alerts',
        file: 'rules/export.json',
        line: 12,
        enabled: true,
      },
    ]);
    const broken = await runCheck('duplicateIncidents', {
      now,
      runQuery: async () => result(['Title', 'IncidentCount'], []),
      analyticsRules: async () => {
        throw new Error('untrusted');
      },
    });
    assert.strictEqual(broken.status, 'ok');
  });
});

describe('migration: automation inventory', () => {
  const rule = {
    id: 'r1',
    displayName: 'Escalate | spray',
    order: 1,
    enabled: true,
    triggersOn: 'Incidents',
    triggersWhen: 'Created',
    conditions: [
      {
        conditionType: 'Property',
        conditionProperties: { propertyName: 'IncidentTitle', operator: 'Contains', propertyValues: ['spray'] },
      },
    ],
    actions: [
      {
        order: 2,
        actionType: 'RunPlaybook',
        actionConfiguration: { logicAppResourceId: '/subscriptions/s/providers/Microsoft.Logic/workflows/Block-IP' },
      },
      {
        order: 1,
        actionType: 'ModifyProperties',
        actionConfiguration: { severity: 'High', labels: [{ labelName: 'spray' }] },
      },
    ],
  };

  it('describes conditions and actions in words, in action order', () => {
    assert.strictEqual(describeCondition(rule.conditions[0]), 'IncidentTitle contains "spray"');
    const s = summariseAutomationRule(rule);
    assert.deepStrictEqual(s.actions, [
      'Change incident: severity → High; add tags "spray"',
      'Run playbook Block-IP (/subscriptions/s/providers/Microsoft.Logic/workflows/Block-IP)',
    ]);
    assert.strictEqual(s.trigger, 'Incidents when created');
    assert.match(
      describeAction({ actionType: 'AddIncidentTask', actionConfiguration: { title: 'Reset password' } }),
      /Add task "Reset password"/,
    );
  });

  it('exports Markdown with the parallel-run reminder and escaped names', () => {
    const md = automationMarkdown([summariseAutomationRule(rule)], new Date('2026-01-10T12:00:00Z'));
    assert.match(md, /^# Automation rules inventory/);
    assert.match(md, /## Escalate \\\| spray/);
    assert.match(md, /in parallel/);
    assert.match(md, /1\. Change incident/);
    assert.match(md, /- \[ \] Recreated/);
  });

  it('the automation and rbac checks summarise their tables', async () => {
    const run = await runCheck('automation', {
      now,
      automationRules: async () => ({ rules: [rule], errors: [], sources: ['automation/'] }),
    });
    assert.strictEqual(run.summary, '1 automation rule to recreate or validate');
    const ruleRef = {
      ...rule,
      conditions: [
        {
          conditionType: 'Property',
          conditionProperties: {
            propertyName: 'IncidentRelatedAnalyticRuleIds',
            operator: 'Contains',
            propertyValues: [
              '/subscriptions/s/providers/Microsoft.SecurityInsights/alertRules/7E4C2A18-9d3b-4f56-8a01-6b2e5c9d3f74',
            ],
          },
        },
      ],
    };
    const named = await runCheck('automation', {
      now,
      automationRules: async () => ({ rules: [ruleRef], errors: [], sources: [] }),
      analyticsRules: async () => ({
        rules: [
          {
            id: '7e4c2a18-9d3b-4f56-8a01-6b2e5c9d3f74',
            title: 'Suspicious inbox forwarding rule',
            tactics: [],
            techniques: [],
            location: { file: 'r.yaml', line: 2 },
            origin: 'yaml',
          },
        ],
        errors: [],
        sources: [],
      }),
    });
    assert.ok(named.checkId === 'automation');
    assert.deepStrictEqual(named.data?.rules[0].conditions, [
      'IncidentRelatedAnalyticRuleIds contains rule "Suspicious inbox forwarding rule" (7E4C2A18-9d3b-4f56-8a01-6b2e5c9d3f74)',
    ]);
    const rbac = await runCheck('rbac', { now });
    assert.strictEqual(rbac.summary, '4 roles to map, 3 with a gap');
  });
});

describe('migration: checklist model', () => {
  it('has the four phases, unique item ids and the cutover-day timings', () => {
    assert.deepStrictEqual(
      CHECKLIST.phases.map((p) => p.id),
      ['pre', 'cutover', 'post', 'cleanup'],
    );
    const ids = CHECKLIST.items.map((i) => i.id);
    assert.strictEqual(new Set(ids).size, ids.length);
    const hours = (id: string) => CHECKLIST.items.find((i) => i.id === id)!.deadlineOffsetMs! / 3_600_000;
    assert.deepStrictEqual(
      [
        hours('cutover.connectors'),
        hours('cutover.duplicate-incidents'),
        hours('cutover.rbac'),
        hours('cutover.automation'),
      ],
      [2, 4, 24, 24],
    );
    for (const check of CHECKLIST.checks)
      assert.ok(
        CHECKLIST.items.some((i) => i.check === check.id),
        check.id,
      );
  });
});
