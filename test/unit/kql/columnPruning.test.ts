// One-shot column pruning (issue #17): a query whose tables are read with only the columns it names answers as with
// whole tables, and queries that may read other columns read whole tables.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parallelLoad } from '../../../src/core/lake/load';
import { createEngine, ExecuteOptions } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import type { Logger } from '../../../src/core/types';
import { plain } from '../plain';
import { demoLakeDir } from '../analyzer-server/demoLake';

const NOW = new Date('2026-11-20T12:00:00Z');

/** Lines the lake logs while loading (at debug level). */
function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const add = (m: string | Error) => {
    lines.push(String(m));
  };
  return { lines, logger: { trace: add, debug: add, info: add, warn: add, error: add } };
}

/** The answer (columns, rows) of a query over a fresh lake, with or without pruning, and the loads logged. */
async function answer(
  dir: string,
  query: string,
  prune: boolean,
  options: ExecuteOptions = {},
): Promise<{ columns: unknown; rows: unknown; loads: string[]; all: string[] }> {
  const { logger, lines } = capture();
  const engine = createEngine(openLake(dir, { logger }), { logger, pruneColumns: prune });
  try {
    const r = await engine.execute(query, { now: NOW, ...options });
    return {
      columns: r.columns,
      rows: plain(r.rows),
      loads: lines.filter((l) => l.startsWith('lake: loaded')),
      all: lines,
    };
  } catch (e) {
    return {
      columns: 'error',
      rows: (e as Error).message,
      loads: lines.filter((l) => l.startsWith('lake: loaded')),
      all: lines,
    };
  }
}

const PRUNED = /column\(s\) the query reads/;

// [query, whether its tables may be read in part]
const QUERIES: [string, boolean][] = [
  [
    'SigninLogs | where ResultType != "0" | summarize Failures=count() by IPAddress | sort by Failures desc, IPAddress asc | take 10',
    true,
  ],
  [
    'SigninLogs | summarize n = count(), users = dcount(UserPrincipalName) by bin(TimeGenerated, 1d) | sort by TimeGenerated asc',
    true,
  ],
  ['SigninLogs | where TimeGenerated > ago(3d) | project UserPrincipalName, IPAddress, TimeGenerated | take 20', true],
  [
    'SigninLogs | where LocationDetails.city == "Berlin" | summarize count() by UserPrincipalName | order by UserPrincipalName asc',
    true,
  ],
  [
    'SigninLogs | extend Hour = hourofday(TimeGenerated) | summarize count() by Hour, ResultType | sort by Hour asc, ResultType asc',
    true,
  ],
  ['SigninLogs | distinct AppDisplayName, ClientAppUsed | sort by AppDisplayName asc, ClientAppUsed asc', true],
  ['SigninLogs | count', true],
  ['let fails = SigninLogs | where ResultType != "0"; fails | summarize c = count() by Location | top 3 by c', true],
  ['SigninLogs | where ingestion_time() > ago(2d) | summarize count()', true],
  // whole tables: every column reaches the output, or the query reads columns it does not name
  ['SigninLogs | where ResultType != "0" | take 5', false],
  ['SigninLogs | top 3 by TimeGenerated desc', false],
  ['SigninLogs | sort by TimeGenerated asc | take 2', false],
  ['SigninLogs | summarize arg_max(TimeGenerated, *) by UserPrincipalName | sort by UserPrincipalName asc', false],
  ['SigninLogs | summarize take_any(*) by ResultType | count', false],
  ['SigninLogs | extend p = pack_all() | project p | take 3', false],
  ['SigninLogs | project-away IPAddress, UserAgent | take 3', false],
  ['SigninLogs | project-keep User* | take 3', false],
  ['SigninLogs | project-rename Ip = IPAddress | take 3', false],
  ['SigninLogs | extend c = column_ifexists("UserAgent", "none") | summarize count() by c | sort by c asc', false],
  ['SigninLogs | extend b = bag_pack_columns(IPAddress, Location) | summarize count() by tostring(b) | count', false],
  ['SigninLogs | where * has "Berlin" | count', false],
  ['SigninLogs | getschema | count', false],
  [
    'SigninLogs | summarize by UserPrincipalName | join kind=inner (SigninLogs | where ResultType != "0") on UserPrincipalName | count',
    false,
  ],
  [
    'SigninLogs | where UserPrincipalName in ((SigninLogs | where ResultType != "0" | project UserPrincipalName)) | summarize count() by ResultType | sort by ResultType asc',
    false,
  ],
  ['union SigninLogs, AuditLogs | summarize count() by Type | sort by Type asc', false],
  ['SigninLogs | mv-expand LocationDetails | summarize count()', false],
  ['SigninLogs | extend x = 1 | take 2', false],
  ['SigninLogs | where DeviceDetail["browser"] has "Chrome" | summarize count()', false],
  [
    'SigninLogs | summarize count() by UserPrincipalName | lookup (IdentityInfo | project AccountUPN, Department) on $left.UserPrincipalName == $right.AccountUPN | count',
    false,
  ],
  ['SigninLogs | evaluate bag_unpack(Status) | take 2', false],
  ['SigninLogs | where Location != "Zürich" | summarize count() by Location | sort by Location asc', false],
  ['find in (SigninLogs) where ResultType != "0" project UserPrincipalName | count', false],
  ['SigninLogs | partition by ResultType (summarize n = count()) | sort by n asc', false],
  // an error is reported as the whole table gives it
  ['SigninLogs | where UserPrincipalName == "nobody" | project UserPrincipalName, NotAColumn', false],
];

describe('one-shot column pruning', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await demoLakeDir();
  });

  for (const [query, prunable] of QUERIES) {
    it(`answers as with whole tables: ${query}`, async () => {
      const whole = await answer(dir, query, false);
      const pruned = await answer(dir, query, true);
      assert.deepEqual(pruned.columns, whole.columns);
      assert.deepEqual(pruned.rows, whole.rows);
      // a query that may read unnamed columns ends on a whole table
      const last = pruned.loads.filter((l) => l.includes('SigninLogs')).pop() ?? '';
      if (!prunable) assert.doesNotMatch(last, PRUNED, pruned.loads.join('\n'));
      else assert.match(last, PRUNED, pruned.loads.join('\n'));
    });
  }

  it('answers the same within a time range (TimeGenerated is read for it)', async () => {
    const q = 'SigninLogs | summarize count() by ResultType | sort by ResultType asc';
    const timeRange = { start: new Date('2026-11-15T00:00:00Z'), end: new Date('2026-11-18T00:00:00Z') };
    const whole = await answer(dir, q, false, { timeRange });
    const pruned = await answer(dir, q, true, { timeRange });
    assert.deepEqual(pruned.rows, whole.rows);
    const all = await answer(dir, q, false);
    assert.notDeepEqual(whole.rows, all.rows, 'the range must change the answer for this test to mean anything');
  });

  it('reads only the named columns for a plain summarize', async () => {
    const q = 'SigninLogs | where ResultType != "0" | summarize Failures=count() by IPAddress';
    const pruned = await answer(dir, q, true);
    const whole = await answer(dir, q, false);
    const cols = (l: string) => Number(/, (\d+) column\(s\) the query reads/.exec(l)?.[1]);
    assert.equal(pruned.loads.length, 1, pruned.loads.join('\n'));
    // ResultType and IPAddress of a table that has dozens
    assert.equal(cols(pruned.loads[0]), 2, pruned.loads[0]);
    assert.doesNotMatch(whole.loads[0], PRUNED);
  });

  it('never hands a partly read table to a later query of the same engine', async () => {
    const { logger } = capture();
    const engine = createEngine(openLake(dir, { logger }), { logger, pruneColumns: true });
    const first = await engine.execute('SigninLogs | summarize count() by IPAddress | count', { now: NOW });
    assert.equal(first.rows.length, 1);
    const second = await engine.execute('SigninLogs | take 1', { now: NOW });
    const full = await answer(dir, 'SigninLogs | take 1', false);
    assert.deepEqual(second.columns, full.columns);
  });

  describe('over irregular files', () => {
    let odd: string;
    before(() => {
      odd = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-prune-'));
      const lines: string[] = [];
      for (let i = 0; i < 400; i++) {
        const row: Record<string, unknown> = {
          TimeGenerated: `2026-11-1${i % 10}T0${i % 10}:00:00Z`,
          Name: `user${i % 7}`,
          Code: String(i % 3),
          Bag: { a: i % 5, s: `x${i % 4}` },
        };
        if (i % 50 === 7) row.Extra = `e${i}`; // a column the schema does not know, on some rows
        if (i % 60 === 11)
          lines.push(JSON.stringify({ Code: 'k', Name: 'reordered', TimeGenerated: '2026-11-15T00:00:00Z' }));
        lines.push(JSON.stringify(row));
        if (i % 90 === 3) lines.push('{"Name": "broken", "Bag": {"a": 1,, }}'); // malformed: skipped in both loads
        if (i % 120 === 5) lines.push('{"Name": "escaped \\"q\\"", "Code": "\\u0031", "Bag": "[1,2]"}');
      }
      fs.writeFileSync(path.join(odd, 'Events.jsonl'), lines.join('\n') + '\n');
      const csv = ['TimeGenerated,Name,Code,Count,Note'];
      for (let i = 0; i < 300; i++)
        csv.push(`2026-11-1${i % 10}T00:00:00Z,user${i % 6},${i % 4},${i % 9 === 0 ? 'n/a' : i},"a, ""b"" ${i % 3}"`);
      fs.writeFileSync(path.join(odd, 'Rows.csv'), csv.join('\n') + '\n');
      fs.writeFileSync(
        path.join(odd, 'schema.json'),
        JSON.stringify({ Events: { TimeGenerated: 'datetime', Name: 'string', Code: 'string', Bag: 'dynamic' } }),
      );
    });
    after(() => fs.rmSync(odd, { recursive: true, force: true }));

    const ODD: string[] = [
      'Events | summarize n = count(), c = dcount(Code) by Name | sort by Name asc',
      'Events | where Code == "1" | summarize count() by tostring(Bag.s) | sort by Bag_s asc',
      'Events | summarize count() by Extra | sort by Extra asc',
      'Events | count',
      'Events | where Name startswith "user" | project Name, Code, TimeGenerated | sort by TimeGenerated asc, Name asc',
      'Rows | summarize total = sum(tolong(Count)), rows = count() by Name | sort by Name asc',
      'Rows | where Code != "0" | project Note, Code | sort by Note asc, Code asc',
      'Rows | count',
    ];
    for (const threads of [1, 2]) {
      for (const query of ODD) {
        it(`answers as with whole tables (${threads} thread(s)): ${query}`, async () => {
          const saved = { ...parallelLoad };
          if (threads === 2) parallelLoad.minBytes = 0;
          else parallelLoad.enabled = false;
          try {
            const whole = await answer(odd, query, false);
            const pruned = await answer(odd, query, true);
            assert.notEqual(whole.columns, 'error', String(whole.rows));
            assert.deepEqual(pruned.columns, whole.columns);
            assert.deepEqual(pruned.rows, whole.rows);
            assert.match(pruned.loads.join('\n'), PRUNED);
            if (threads === 2) assert.match(pruned.loads.join('\n'), /on 2 threads/);
            // malformed lines are skipped alike (cells of dropped columns are not checked, so only rows compare)
            const skipped = (lines: string[]) =>
              lines.map((l) => /skipped (\d+) malformed row/.exec(l)?.[1]).find(Boolean);
            if (query.startsWith('Events')) assert.equal(skipped(pruned.all), skipped(whole.all) ?? 'none');
          } finally {
            Object.assign(parallelLoad, saved);
          }
        });
      }
    }
  });
});
