// The live checks on the real local engine over a small lake written by the test.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { CONNECTORS_BEFORE_QUERY, CONNECTORS_CURRENT_QUERY, runCheck } from '../../../src/core/migration/checks';
import { connectorRowsFromResult } from '../../../src/core/migration/connectors';

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('migration: live checks on the local engine', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-migration-lake-'));
    fs.writeFileSync(
      path.join(dir, 'lake.json'),
      JSON.stringify({ name: 'test', workspaceId: 'w', now: '2026-11-20T12:00:00Z' }),
    );
    const incident = (n: number, title: string, time: string) => ({
      TimeGenerated: time,
      IncidentNumber: n,
      IncidentName: `id-${n}`,
      Title: title,
      Severity: 'High',
      Status: 'New',
    });
    fs.writeFileSync(
      path.join(dir, 'SecurityIncident.jsonl'),
      jsonl([
        incident(1, 'Password spray', '2026-11-19T10:00:00Z'),
        incident(2, 'Password spray', '2026-11-19T11:00:00Z'),
        incident(3, 'Password spray', '2026-11-18T11:00:00Z'),
        incident(4, 'Inbox forwarding rule', '2026-11-17T11:00:00Z'),
        incident(5, 'Inbox forwarding rule', '2026-11-16T11:00:00Z'),
        incident(6, 'Inbox forwarding rule', '2026-11-01T11:00:00Z'), // older than 7 days: not counted
        incident(7, 'Old duplicate', '2026-11-02T11:00:00Z'),
        incident(8, 'Old duplicate', '2026-11-03T11:00:00Z'),
        incident(9, 'Unique', '2026-11-19T11:00:00Z'),
      ]),
    );
    const c = (id: string, kind: string, name: string, state: string, t: string) => ({
      TimeGenerated: t,
      ConnectorId: id,
      Kind: kind,
      Name: name,
      State: state,
    });
    fs.writeFileSync(
      path.join(dir, 'DataConnectorsBeforeCutover.jsonl'),
      jsonl([c('c1', 'AzureActiveDirectory', 'Microsoft Entra ID', 'Enabled', '2026-11-11T12:00:00Z')]),
    );
    fs.writeFileSync(
      path.join(dir, 'DataConnectors.jsonl'),
      jsonl([
        c('c1', 'AzureActiveDirectory', 'Microsoft Entra ID', 'Enabled', '2026-11-20T11:00:00Z'),
        c(
          'c2',
          'MicrosoftDefenderAdvancedThreatProtection',
          'Microsoft Defender for Endpoint',
          'Enabled',
          '2026-11-20T11:00:00Z',
        ),
        c('c3', 'MicrosoftCloudAppSecurity', 'Microsoft Defender for Cloud Apps', 'Enabled', '2026-11-20T11:00:00Z'),
      ]),
    );
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds duplicate incident titles of the last 7 days, most repeated first', async () => {
    const engine = createEngine(openLake(dir));
    const run = await runCheck('duplicateIncidents', {
      now: () => new Date(),
      runQuery: (q, signal) => engine.execute(q, { signal }),
    });
    assert.strictEqual(run.status, 'findings', run.error);
    assert.ok(run.checkId === 'duplicateIncidents');
    assert.deepStrictEqual(run.data?.rows, [
      { title: 'Password spray', count: 3 },
      { title: 'Inbox forwarding rule', count: 2 },
    ]);
  });

  it('diffs the connector inventories read through KQL', async () => {
    const engine = createEngine(openLake(dir));
    const run = await runCheck('connectors', {
      now: () => new Date(),
      connectorsBefore: async () => ({
        rows: connectorRowsFromResult(await engine.execute(CONNECTORS_BEFORE_QUERY)),
        source: 'before',
      }),
      connectorsCurrent: async () => ({
        rows: connectorRowsFromResult(await engine.execute(CONNECTORS_CURRENT_QUERY)),
        source: 'now',
      }),
    });
    assert.ok(run.checkId === 'connectors' && run.data, run.error);
    assert.deepStrictEqual(
      run.data.appeared.map((a) => [a.name, a.autoEnable]),
      [
        ['Microsoft Defender for Cloud Apps', 'conditional'],
        ['Microsoft Defender for Endpoint', 'yes'],
      ],
    );
  });
});
