import * as assert from 'assert';
import { describeFilter, formatAge, pageIncidents, parseSeverity } from '../../../src/core/backends/incidents';
import type { Incident } from '../../../src/core/backends/types';

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

describe('incident filtering and paging', () => {
  const all = [
    inc(1, { severity: 'High', owner: 'alice@contoso.com' }),
    inc(2, { status: 'Closed' }),
    inc(3, { title: 'Password spray' }),
    inc(4, { severity: 'High', status: 'Active' }),
    inc(5),
    inc(6, { severity: 'Low' }),
    inc(7, { createdTime: new Date(Date.UTC(2026, 0, 1, 5)).toISOString() }),
  ];

  it('orders newest first and pages with a token until the end, without gaps or repeats', () => {
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = pageIncidents(all, {}, { top: 3, pageToken: token });
      seen.push(...page.incidents.map((i) => i.number));
      token = page.nextPageToken;
      pages++;
    } while (token);
    assert.deepStrictEqual(seen, [6, 7, 5, 4, 3, 2, 1]);
    assert.strictEqual(pages, 3);
  });

  it('keeps pages stable when a new incident arrives between pages', () => {
    const first = pageIncidents(all, {}, { top: 3 });
    const grown = [...all, inc(8)];
    const second = pageIncidents(grown, {}, { top: 3, pageToken: first.nextPageToken });
    assert.deepStrictEqual(
      second.incidents.map((i) => i.number),
      [4, 3, 2],
    );
  });

  it('filters by severity, status, owner, text and time', () => {
    const n = (f: Parameters<typeof pageIncidents>[1]) =>
      pageIncidents(all, f, { top: 100 }).incidents.map((i) => i.number);
    assert.deepStrictEqual(n({ severity: ['High'] }), [4, 1]);
    assert.deepStrictEqual(n({ status: ['Active', 'Closed'] }), [4, 2]);
    assert.deepStrictEqual(n({ owner: 'ALICE' }), [1]);
    assert.deepStrictEqual(n({ owner: 'unassigned' }).includes(1), false);
    assert.deepStrictEqual(n({ text: 'spray' }), [3]);
    assert.deepStrictEqual(n({ text: '#5' }), [5]);
    assert.deepStrictEqual(n({ createdAfter: new Date(Date.UTC(2026, 0, 1, 5)) }), [6, 7, 5]);
  });

  it('rejects a page token that was not issued by a listing', () => {
    assert.throws(() => pageIncidents(all, {}, { top: 3, pageToken: 'garbage' }), /invalid page token/);
  });

  it('describes filters and ages in short words', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    assert.strictEqual(
      describeFilter(
        {
          severity: ['High', 'Medium'],
          status: ['New'],
          createdAfter: new Date('2026-01-03T00:00:00Z'),
          owner: 'bob',
          text: 'spray',
        },
        now,
      ),
      'High/Medium · New · last 7d · owner: bob · "spray"',
    );
    assert.strictEqual(describeFilter({}), '');
    assert.strictEqual(formatAge('2026-01-09T21:00:00Z', now), '3h');
    assert.strictEqual(formatAge('2026-01-07T00:00:00Z', now), '3d');
    assert.throws(() => parseSeverity('critical'), /expected High, Medium, Low, Informational/);
  });
});
