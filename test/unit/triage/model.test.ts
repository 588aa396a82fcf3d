import * as assert from 'assert';
import type { Entity, Incident, IncidentDetails } from '../../../src/core/backends/types';
import {
  baselineValue,
  countNew,
  entityContextValue,
  escapeMarkdown,
  groupIncidents,
  incidentDescription,
  incidentTooltip,
  indexEntities,
} from '../../../src/extension/triage/model';

function inc(number: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `id-${number}`,
    number,
    title: `Incident ${number}`,
    severity: 'Medium',
    status: 'New',
    alertsCount: 1,
    tactics: [],
    relatedAnalyticRuleIds: [],
    createdTime: new Date(Date.UTC(2026, 0, 1, number)).toISOString(),
    ...over,
  };
}
const ent = (kind: Entity['kind'], name: string): Entity => ({
  kind,
  key: `${kind.toLowerCase()}:${name}`,
  displayName: name,
  properties: {},
});

describe('triage view model', () => {
  const list = [
    inc(1, { severity: 'High', status: 'Closed' }),
    inc(2, { severity: 'Low' }),
    inc(3, { severity: 'High', status: 'Active' }),
    inc(4, { severity: 'Informational' }),
  ];

  it('groups by severity in severity order, newest first, without empty groups', () => {
    const groups = groupIncidents(list, 'severity');
    assert.deepStrictEqual(
      groups.map((g) => `${g.label}:${g.incidents.map((i) => i.number).join(',')}`),
      ['High:3,1', 'Low:2', 'Informational:4'],
    );
  });

  it('groups by status, or not at all', () => {
    assert.deepStrictEqual(
      groupIncidents(list, 'status').map((g) => g.label),
      ['New', 'Active', 'Closed'],
    );
    const none = groupIncidents(list, 'none');
    assert.strictEqual(none.length, 1);
    assert.deepStrictEqual(
      none[0].incidents.map((i) => i.number),
      [4, 3, 2, 1],
    );
  });

  it('counts New incidents for the badge and describes an incident as status · owner · age', () => {
    assert.strictEqual(countNew(list), 2);
    const now = new Date('2026-01-01T05:30:00Z');
    assert.strictEqual(
      incidentDescription(inc(3, { owner: 'alice@contoso.com' }), now),
      'New · alice@contoso.com · 2h',
    );
    assert.strictEqual(incidentDescription(inc(5), now), 'New · 30m');
  });

  it('keeps server text as text in tooltips (no links, no HTML)', () => {
    const tip = incidentTooltip(
      inc(7, {
        title: '[click](https://evil.example) <img src=x>',
        description: 'a *b* `c`',
        tactics: ['InitialAccess'],
      }),
    );
    assert.ok(!tip.includes('[click](https://evil.example)'));
    assert.ok(tip.includes('\\[click\\]\\(https://evil\\.example\\)'));
    assert.ok(tip.includes('\\<img src=x\\>'));
    assert.match(tip, /\| Tactics \| InitialAccess \|/);
    assert.strictEqual(escapeMarkdown('a|b'), 'a\\|b');
  });

  it('indexes entities across incidents by kind with the incidents they appear in', () => {
    const details = (i: Incident, entities: Entity[]): IncidentDetails => ({ incident: i, alerts: [], entities });
    const groups = indexEntities([
      details(inc(1), [ent('Account', 'megan@contoso.com'), ent('Ip', '203.0.113.7')]),
      details(inc(2), [
        ent('Account', 'megan@contoso.com'),
        ent('Account', 'alex@contoso.com'),
        ent('Url', 'https://x.example/'),
      ]),
    ]);
    assert.deepStrictEqual(
      groups.map((g) => g.kind),
      ['Account', 'Url', 'Ip'],
    );
    assert.deepStrictEqual(
      groups[0].entities.map((e) => `${e.entity.displayName}:${e.incidentIds.join('+')}`),
      ['megan@contoso.com:id-2+id-1', 'alex@contoso.com:id-2'],
    );
  });

  it('names context values per kind and picks the baseline shape', () => {
    assert.strictEqual(entityContextValue('Account'), 'sentinelWorkbench:entity:account');
    assert.strictEqual(entityContextValue('CloudApplication'), 'sentinelWorkbench:entity:cloudapplication');
    assert.deepStrictEqual(baselineValue(ent('Account', 'megan@contoso.com')), {
      value: 'megan@contoso.com',
      shape: 'upn',
    });
    assert.deepStrictEqual(baselineValue(ent('Ip', '10.0.0.1')).shape, 'ip');
    assert.deepStrictEqual(baselineValue(ent('Host', 'pc1.contoso.com')).shape, 'text');
  });
});
