import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { colGet, ColumnarTable } from '../../../src/core/columnar/columns';
import { parallelJsonl } from '../../../src/core/lake/load';
import { formatDatetime, formatTimespan, parseDatetime, parseTimespan } from '../../../src/core/columnar/convert';
import { openLake } from '../../../src/core/lake/lake';
import { createEngine } from '../../../src/core/kql/engine';

function tempLake(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-lake-test-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function table(dir: string, name: string) {
  const lake = openLake(dir);
  const t = await lake.loadTable!(name);
  const col = (c: string) => {
    const f = t.fields.find((x) => x.name === c);
    if (!f) throw new Error(`no column ${c}`);
    return { type: f.type, values: Array.from({ length: t.length }, (_, i) => colGet(f.col, i)) };
  };
  return { t, col };
}

describe('lake: value conversions', () => {
  it('reads ISO-8601 and the portal export datetime forms as epoch microseconds', () => {
    assert.equal(parseDatetime('2026-11-20T09:15:02.123Z'), Date.UTC(2026, 10, 20, 9, 15, 2, 123) * 1000);
    assert.equal(parseDatetime('2026-11-20 09:15:02'), Date.UTC(2026, 10, 20, 9, 15, 2) * 1000);
    // 100 ns ticks are kept as far as a double holds them (as todatetime() does): the microseconds are exact
    assert.equal(
      Math.floor(parseDatetime('2026-11-20T09:15:02.1234567Z')!),
      Date.UTC(2026, 10, 20, 9, 15, 2) * 1000 + 123456,
    );
    assert.equal(formatDatetime(parseDatetime('2026-11-20T09:15:02.1234567Z')!), '2026-11-20T09:15:02.123456Z');
    assert.equal(parseDatetime('11/20/2026, 9:15:02.123 AM'), Date.UTC(2026, 10, 20, 9, 15, 2, 123) * 1000);
    assert.equal(parseDatetime('11/20/2026, 12:00:00 AM'), Date.UTC(2026, 10, 20, 0, 0, 0) * 1000);
    assert.equal(parseDatetime('11/20/2026, 1:05:10 PM'), Date.UTC(2026, 10, 20, 13, 5, 10) * 1000);
    assert.equal(parseDatetime('2026-11-20T10:15:02+01:00'), Date.UTC(2026, 10, 20, 9, 15, 2) * 1000);
    assert.equal(parseDatetime('not a date'), null);
    assert.equal(parseDatetime('2026-13-40'), null);
  });

  it('formats datetimes with a fraction only when non-zero', () => {
    assert.equal(formatDatetime(Date.UTC(2026, 0, 2, 3, 4, 5) * 1000), '2026-01-02T03:04:05Z');
    assert.equal(formatDatetime(Date.UTC(2026, 0, 2, 3, 4, 5, 120) * 1000), '2026-01-02T03:04:05.12Z');
  });

  it('reads and formats timespans', () => {
    assert.equal(parseTimespan('1.02:03:04.5'), ((26 * 60 + 3) * 60 + 4) * 1e6 + 500000);
    assert.equal(parseTimespan('00:30:00'), 1800e6);
    assert.equal(parseTimespan('-00:00:01'), -1e6);
    assert.equal(parseTimespan('90m'), 5400e6);
    assert.equal(parseTimespan('2 days'), 2 * 86400e6);
    assert.equal(parseTimespan('soon'), null);
    assert.equal(formatTimespan(90061e6 + 5), '1.01:01:01.0000050');
    assert.equal(formatTimespan(-3600e6), '-01:00:00');
  });
});

describe('lake: loading tables', () => {
  it('loads JSONL, skips and counts malformed lines and cells, fills missing columns', async () => {
    const dir = tempLake({
      'SigninLogs.jsonl': [
        '{"TimeGenerated":"2026-11-20T09:00:00Z","UserPrincipalName":"a@x.com","ResultType":"0","LocationDetails":{"city":"Oslo"}}',
        '{ broken',
        '[1,2]',
        '',
        '{"TimeGenerated":"yesterday","UserPrincipalName":"b@x.com","AutonomousSystemNumber":"not a number"}',
      ].join('\n'),
    });
    const { t, col } = await table(dir, 'SigninLogs');
    assert.equal(t.length, 2);
    assert.equal(t.skippedRows, 2);
    assert.equal(t.skippedCells, 2);
    assert.deepEqual(col('TimeGenerated').values, [Date.UTC(2026, 10, 20, 9) * 1000, null]);
    assert.deepEqual(col('ResultType').values, ['0', '']);
    assert.deepEqual(col('LocationDetails').values, [{ city: 'Oslo' }, null]);
    assert.equal(col('AutonomousSystemNumber').type, 'int');
  });

  it('loads a portal CSV export: [UTC] header, quoted fields, embedded quotes and newlines, CRLF', async () => {
    const csv =
      'TimeGenerated [UTC],AlertId,Title,AdditionalFields,Score\r\n' +
      '"11/20/2026, 9:20:00.000 AM",da1,"Spray, then ""sign-in""","{""a"":1}",1.5\r\n' +
      '"11/19/2026, 1:05:10 PM",da2,"multi\nline",,2\r\n' +
      'too,few\r\n';
    const dir = tempLake({ 'AlertEvidence.csv': csv });
    const { t, col } = await table(dir, 'AlertEvidence');
    assert.equal(t.length, 2);
    assert.equal(t.skippedRows, 1);
    assert.deepEqual(col('TimeGenerated').values, [
      Date.UTC(2026, 10, 20, 9, 20) * 1000,
      Date.UTC(2026, 10, 19, 13, 5, 10) * 1000,
    ]);
    assert.deepEqual(col('Title').values, ['Spray, then "sign-in"', 'multi\nline']);
    assert.deepEqual(col('AdditionalFields').values, [{ a: 1 }, null]);
    assert.equal(col('Score').type, 'real');
    assert.deepEqual(col('Score').values, [1.5, 2]);
  });

  it('infers types of tables without a schema', async () => {
    const dir = tempLake({
      'Custom.csv':
        'When,N,Flag,Bag,Name,Dur\n2026-01-01T00:00:00Z,1,true,"[1]",x,01:00:00\n2026-01-02T00:00:00Z,2,false,"{}",y,00:00:30\n',
    });
    const { t } = await table(dir, 'Custom');
    assert.deepEqual(
      t.fields.map((f) => `${f.name}:${f.type}`),
      ['When:datetime', 'N:long', 'Flag:bool', 'Bag:dynamic', 'Name:string', 'Dur:timespan'],
    );
  });

  it('loads a JSON array and a Log Analytics query response', async () => {
    const dir = tempLake({
      'Arr.json': '[{"a": 1, "s": "x"}, {"a": 2, "s": "y, ]"}, 5]',
      'Resp.json': JSON.stringify({
        tables: [
          {
            name: 'PrimaryResult',
            columns: [
              { name: 'n', type: 'long' },
              { name: 's', type: 'string' },
            ],
            rows: [[1, 'a'], [2, 'b'], [3]],
          },
        ],
      }),
    });
    const a = await table(dir, 'Arr');
    assert.equal(a.t.length, 2);
    assert.equal(a.t.skippedRows, 1);
    assert.deepEqual(a.col('s').values, ['x', 'y, ]']);
    const r = await table(dir, 'Resp');
    assert.deepEqual(r.col('n').values, [1, 2]);
    assert.equal(r.col('n').type, 'long');
    const typed = tempLake({
      'T.json': JSON.stringify({
        tables: [
          {
            columns: [
              { name: 'When', type: 'datetime' },
              { name: 'Code', type: 'string' },
              { name: 'Bag', type: 'dynamic' },
            ],
            rows: [['2026-01-01T00:00:00Z', '42', '{"a":1}']],
          },
        ],
      }),
    });
    const tt = await table(typed, 'T');
    assert.deepEqual(
      tt.t.fields.map((f) => f.type),
      ['datetime', 'string', 'dynamic'],
    );
    assert.deepEqual(tt.col('Bag').values, [{ a: 1 }]);
    assert.equal(r.t.skippedRows, 1);
  });

  it('reads a JSON array streamed across chunk boundaries', async () => {
    const items = Array.from({ length: 30000 }, (_, i) => ({ i, s: `value "${i}" with [brackets] and {braces}` }));
    const dir = tempLake({ 'Big.json': JSON.stringify(items) });
    const { t, col } = await table(dir, 'Big');
    assert.equal(t.length, 30000);
    assert.equal(col('s').values[29999], 'value "29999" with [brackets] and {braces}');
  });

  it('honours lake.json and schema.json', async () => {
    const dir = tempLake({
      'lake.json': '{"name":"Test lake","workspaceId":"w-1","now":"2026-11-20T12:00:00Z"}',
      'schema.json': '{"Custom": {"Code": "string", "Count": "int"}}',
      'Custom.jsonl': '{"Code": 42, "Count": "7", "Extra": 1.5}\n',
    });
    const lake = openLake(dir);
    assert.equal(lake.name, 'Test lake');
    assert.equal(lake.workspaceId, 'w-1');
    assert.equal(lake.now?.toISOString(), '2026-11-20T12:00:00.000Z');
    assert.deepEqual(await lake.columns('Custom'), [
      { name: 'Code', type: 'string' },
      { name: 'Count', type: 'int' },
      { name: 'Extra', type: 'real' },
    ]);
  });

  it('a table known by schema.json but without a file is an empty table of that schema', async () => {
    const dir = tempLake({
      'schema.json': '{"VendorLogs_CL": {"TimeGenerated": "datetime", "Action_s": "string", "Bytes_d": "real"}}',
    });
    const engine = createEngine(openLake(dir));
    const r = await engine.execute('VendorLogs_CL | where Action_s == "deny" | summarize n = count()');
    assert.deepEqual(r.rows, [[0]]);
    const cols = await engine.execute('VendorLogs_CL | getschema | project ColumnName, ColumnType');
    assert.deepEqual(
      cols.rows.map((x) => x[0]),
      ['TimeGenerated', 'Action_s', 'Bytes_d'],
    );
    const missing = await engine.execute('NoSuchTable_CL | count').catch((e: Error) => e);
    assert.match(String(missing), /NoSuchTable_CL/);
  });

  it('lists tables, reports info, appends rows and reloads', async () => {
    const dir = tempLake({ 'IncidentComments.jsonl': '{"TimeGenerated":"2026-11-20T09:00:00Z","Message":"first"}' });
    const lake = openLake(dir);
    assert.deepEqual(lake.tableNames(), ['IncidentComments']);
    assert.equal((await lake.loadTable!('IncidentComments')).length, 1);
    await lake.appendRows('IncidentComments', [{ TimeGenerated: '2026-11-20T10:00:00Z', Message: 'second' }]);
    await lake.appendRows('NewTable', [{ x: 1 }]);
    assert.equal((await lake.loadTable!('IncidentComments')).length, 2);
    assert.ok(lake.hasTable('NewTable'));
    const info = await lake.info();
    const ic = info.tables.find((t) => t.name === 'IncidentComments')!;
    assert.deepEqual([ic.rows, ic.minTime, ic.maxTime], [2, '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z']);
    // the file stays line-oriented JSONL
    assert.equal(fs.readFileSync(path.join(dir, 'IncidentComments.jsonl'), 'utf8').trim().split('\n').length, 2);
  });

  it('refuses a missing folder or a malformed lake.json with a clear error', () => {
    assert.throws(() => openLake('/nonexistent/lake/dir'), /lake folder not found/);
    const dir = tempLake({ 'lake.json': '{nope' });
    assert.throws(() => openLake(dir), /lake\.json: not valid JSON/);
  });
});

describe('lake: large JSONL files', () => {
  // Rows with malformed lines and cells throughout, CRLF endings, a column the schema does not know that appears
  // late, low- and high-cardinality strings (more distinct values than the dictionary de-duplicates).
  function bigJsonl(rows: number): string {
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      if (i % 9973 === 5) {
        lines.push('{ broken');
        continue;
      }
      const o: Record<string, unknown> = {
        TimeGenerated: i % 5000 === 7 ? 'not a date' : new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
        UserPrincipalName: `user${i % 37}@contoso.com`,
        ResultType: String(i % 3),
        CorrelationId: `corr-${i}`,
        LocationDetails: { city: i % 2 ? 'Oslo' : 'Lima', n: i },
        IsInteractive: i % 4 === 0,
      };
      if (i > rows * 0.8) o.LateField = i;
      lines.push(JSON.stringify(o));
    }
    return lines.join('\r\n') + '\r\n';
  }

  async function load(dir: string, opts: Partial<typeof parallelJsonl>) {
    const saved = { ...parallelJsonl };
    Object.assign(parallelJsonl, opts);
    try {
      const messages: string[] = [];
      const logger = {
        trace: () => {},
        debug: (m: string) => {
          messages.push(m);
        },
        info: () => {},
        warn: () => {},
        error: () => {},
      };
      const t = await openLake(dir, { logger }).loadTable!('SigninLogs');
      return { t, messages };
    } finally {
      Object.assign(parallelJsonl, saved);
      delete parallelJsonl.workerFile;
      if (saved.workerFile) parallelJsonl.workerFile = saved.workerFile;
    }
  }

  const rowsOf = (t: ColumnarTable) => ({
    length: t.length,
    skippedRows: t.skippedRows,
    skippedCells: t.skippedCells,
    fields: t.fields.map((f) => ({
      name: f.name,
      type: f.type,
      values: Array.from({ length: t.length }, (_, i) => colGet(f.col, i)),
    })),
  });

  it('reads a file with lines across read chunks, and the same table on two threads as on one', async function () {
    this.timeout(60000);
    const rows = 80000;
    const dir = tempLake({ 'SigninLogs.jsonl': bigJsonl(rows) });
    assert.ok(fs.statSync(path.join(dir, 'SigninLogs.jsonl')).size > 4 << 20, 'spans several 1 MiB read chunks');
    const one = await load(dir, { enabled: false });
    const broken = Math.floor((rows - 6) / 9973) + 1;
    assert.equal(one.t.length, rows - broken);
    assert.equal(one.t.skippedRows, broken);
    assert.ok(one.t.skippedCells > 0);
    const upn = one.t.fields.find((f) => f.name === 'UserPrincipalName')!;
    assert.equal(colGet(upn.col, 1), 'user1@contoso.com');
    const late = one.t.fields.find((f) => f.name === 'LateField')!;
    assert.equal(late.type, 'long');
    assert.equal(colGet(late.col, 0), null);
    assert.equal(colGet(late.col, one.t.length - 1), rows - 1);
    const corr = one.t.fields.find((f) => f.name === 'CorrelationId')!;
    assert.equal(colGet(corr.col, one.t.length - 1), `corr-${rows - 1}`);

    const two = await load(dir, { enabled: true, minBytes: 0 });
    assert.equal(
      two.messages.filter((m) => /in \d+ ms on 2 threads/.test(m)).length,
      1,
      `the worker thread read half: ${two.messages.join('; ')}`,
    );
    assert.deepEqual(rowsOf(two.t), rowsOf(one.t));
  });

  it('reads the whole file on one thread when the worker cannot run', async function () {
    this.timeout(60000);
    const dir = tempLake({ 'SigninLogs.jsonl': bigJsonl(3000) });
    const one = await load(dir, { enabled: false });
    const failed = await load(dir, { enabled: true, minBytes: 0, workerFile: path.join(dir, 'no-such-worker.js') });
    assert.equal(failed.messages.filter((m) => /read on one thread/.test(m)).length, 1);
    assert.equal(failed.messages.filter((m) => /on 2 threads/.test(m)).length, 0);
    assert.deepEqual(rowsOf(failed.t), rowsOf(one.t));
  });
});
