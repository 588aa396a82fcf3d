import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { colGet } from '../../../src/core/columnar/columns';
import { createEngine } from '../../../src/core/kql/engine';
import { openLake } from '../../../src/core/lake/lake';
import { parallelLoad } from '../../../src/core/lake/load';
import { loadParquet, parquetProblem } from '../../../src/core/lake/parquet';
import type { Logger } from '../../../src/core/types';

// Parquet files are written by DuckDB (a common producer of Parquet files, as Spark and Fabric are).
async function writeParquet(file: string, select: string, options = ''): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (${select}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet${options})`);
  con.closeSync();
}

const ROWS = `SELECT * FROM (VALUES
  (1, 'alice', 10::BIGINT, 1.5::DOUBLE, true, TIMESTAMPTZ '2026-11-20 09:15:02.123+00', DATE '2026-11-20', {'city': 'Berlin', 'n': 2}, [1, 2, 3], MAP {'k': 'v'}, '{"a": [1, {"b": 2}]}'::JSON, 7::INTEGER, 'dd6f2a8e-7a43-4d0b-9a37-0a5f1bd3f3c1'::UUID, 12.25::DECIMAL(10, 2), TIMESTAMP '2026-11-20 10:00:00'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, 'bob', -3::BIGINT, -0.25::DOUBLE, false, TIMESTAMPTZ '2026-11-21 00:00:00+00', DATE '2026-11-21', {'city': NULL, 'n': 5}, [], MAP {'x': 'y'}, '"text"'::JSON, -1::INTEGER, NULL, 0.5::DECIMAL(10, 2), TIMESTAMP '2026-11-21 00:00:01')
) t(Id, Name, Count, Score, Flag, TimeGenerated, Day, Location, Ports, Tags, Extra, Small, UserId, Amount, Seen)`;

describe('lake: Parquet tables', function () {
  this.timeout(30000);
  let dir: string;
  const warnings: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (m: string) => void warnings.push(m),
    error() {},
  } as unknown as Logger;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-parquet-test-'));
    await writeParquet(path.join(dir, 'Events.parquet'), ROWS);
    // several row groups, dictionary-encoded strings with nulls, and a column written without a dictionary
    await writeParquet(
      path.join(dir, 'Many.parquet'),
      `SELECT i AS Id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'user' || (i % 50) END AS User, md5(i::VARCHAR) AS Hash,
              TIMESTAMP '2026-11-01' + to_seconds(i) AS TimeGenerated FROM range(25000) r(i)`,
      ', ROW_GROUP_SIZE 4096',
    );
    fs.writeFileSync(path.join(dir, 'Broken.parquet'), 'PAR1 this is not a parquet file');
    const good = fs.readFileSync(path.join(dir, 'Events.parquet'));
    fs.writeFileSync(path.join(dir, 'Truncated.parquet'), good.subarray(0, good.length - 20));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function columns(file: string, schema?: Record<string, never>) {
    const t = await loadParquet(path.join(dir, file), 'T', schema);
    const col = (c: string) => {
      const f = t.fields.find((x) => x.name === c);
      if (!f) throw new Error(`no column ${c}`);
      return { type: f.type, values: Array.from({ length: t.length }, (_, i) => colGet(f.col, i)) };
    };
    return { t, col };
  }

  it('maps Parquet types to KQL column types', async () => {
    const { t, col } = await columns('Events.parquet');
    assert.equal(t.length, 3);
    const types = Object.fromEntries(t.fields.map((f) => [f.name, f.type]));
    assert.deepEqual(types, {
      Id: 'long',
      Name: 'string',
      Count: 'long',
      Score: 'real',
      Flag: 'bool',
      TimeGenerated: 'datetime',
      Day: 'datetime',
      Location: 'dynamic',
      Ports: 'dynamic',
      Tags: 'dynamic',
      Extra: 'dynamic',
      Small: 'long',
      UserId: 'string',
      Amount: 'real',
      Seen: 'datetime',
    });
    assert.deepEqual(col('Name').values, ['alice', '', 'bob']);
    assert.deepEqual(col('Count').values, [10, null, -3]);
    assert.deepEqual(col('Score').values, [1.5, null, -0.25]);
    assert.deepEqual(col('Flag').values, [true, null, false]);
    assert.deepEqual(col('TimeGenerated').values, [
      Date.UTC(2026, 10, 20, 9, 15, 2, 123) * 1000,
      null,
      Date.UTC(2026, 10, 21) * 1000,
    ]);
    assert.deepEqual(col('Day').values, [Date.UTC(2026, 10, 20) * 1000, null, Date.UTC(2026, 10, 21) * 1000]);
    assert.deepEqual(col('Seen').values, [
      Date.UTC(2026, 10, 20, 10) * 1000,
      null,
      Date.UTC(2026, 10, 21, 0, 0, 1) * 1000,
    ]);
    assert.deepEqual(col('Location').values, [{ city: 'Berlin', n: 2 }, null, { city: null, n: 5 }]);
    assert.deepEqual(col('Ports').values, [[1, 2, 3], null, []]);
    assert.deepEqual(col('Tags').values, [{ k: 'v' }, null, { x: 'y' }]);
    assert.deepEqual(col('Extra').values, [{ a: [1, { b: 2 }] }, null, 'text']);
    assert.deepEqual(col('Small').values, [7, null, -1]);
    assert.deepEqual(col('UserId').values, ['dd6f2a8e-7a43-4d0b-9a37-0a5f1bd3f3c1', '', '']);
    assert.deepEqual(col('Amount').values, [12.25, null, 0.5]);
  });

  it('keeps nulls and values in row order across row groups and dictionary pages', async () => {
    const { t, col } = await columns('Many.parquet');
    assert.equal(t.length, 25000);
    const user = col('User').values;
    const hash = col('Hash').values;
    const time = col('TimeGenerated').values;
    for (const i of [0, 1, 6, 7, 4095, 4096, 4097, 13999, 24999]) {
      assert.equal(user[i], i % 7 === 0 ? '' : `user${i % 50}`, `User at row ${i}`);
      assert.equal(time[i], (Date.UTC(2026, 10, 1) + i * 1000) * 1000, `TimeGenerated at row ${i}`);
      assert.match(String(hash[i]), /^[0-9a-f]{32}$/);
    }
    assert.equal(new Set(hash).size, 25000);
  });

  it("decodes every page as hyparquet's own row reading does (nulls, wide dictionaries, plain text, structs)", async () => {
    // 3,000 distinct names: dictionary indices of 12 bits; Note: plain (no dictionary) non-ASCII text with nulls
    // and empty strings; Id: UUIDs with nulls; Loc: a struct of dictionary fields, sometimes null
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-parquet-pages-'));
    const file = path.join(own, 'Pages.parquet');
    await writeParquet(
      file,
      `SELECT i::BIGINT AS N,
              CASE WHEN i % 11 = 0 THEN NULL ELSE i * 1000003 - 7 END AS Big,
              CASE WHEN i % 13 = 0 THEN NULL ELSE 'name' || (i * 7919 % 3000) END AS Name,
              CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN '' ELSE 'ünï ' || md5(i::VARCHAR) || ' ✓' END AS Note,
              CASE WHEN i % 3 = 0 THEN NULL ELSE uuid() END AS Id,
              CASE WHEN i % 17 = 0 THEN NULL ELSE {'city': CASE WHEN i % 4 = 0 THEN NULL ELSE 'c' || (i % 9) END,
                                                   'country': 'k' || (i % 3)} END AS Loc
       FROM range(20000) r(i)`,
      ', ROW_GROUP_SIZE 6000',
    );
    const t = await loadParquet(file, 'T', undefined);
    const col = (c: string) => {
      const f = t.fields.find((x) => x.name === c)!;
      return { values: Array.from({ length: t.length }, (_, i) => colGet(f.col, i)) };
    };
    const { parquetReadObjects } = await import('hyparquet');
    const bytes = fs.readFileSync(file);
    fs.rmSync(own, { recursive: true, force: true });
    const rows = (await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    })) as Record<string, unknown>[];
    assert.equal(t.length, rows.length);
    const n = col('N').values,
      big = col('Big').values,
      name = col('Name').values,
      note = col('Note').values,
      id = col('Id').values,
      loc = col('Loc').values;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      assert.equal(n[i], Number(r.N), `N at row ${i}`);
      assert.equal(big[i], r.Big === null ? null : Number(r.Big), `Big at row ${i}`);
      assert.equal(name[i], r.Name ?? '', `Name at row ${i}`);
      assert.equal(note[i], r.Note ?? '', `Note at row ${i}`);
      assert.equal(id[i], r.Id ?? '', `Id at row ${i}`);
      assert.deepEqual(loc[i], r.Loc ?? null, `Loc at row ${i}`);
    }
    assert.ok(new Set(name).size > 2900);
  });

  it('reads about half the columns of a large file on a second thread, the same table as one thread reads', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-parquet-two-'));
    await writeParquet(
      path.join(own, 'SigninLogs.parquet'),
      `SELECT TIMESTAMP '2026-11-01' + to_seconds(i) AS TimeGenerated, 'user' || (i % 97) || '@contoso.com' AS UserPrincipalName,
              CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 4)::VARCHAR END AS ResultType, md5(i::VARCHAR) AS CorrelationId,
              {'city': 'c' || (i % 5), 'countryOrRegion': 'k' || (i % 3)} AS LocationDetails, i AS Seq
       FROM range(30000) r(i)`,
      ', ROW_GROUP_SIZE 8192',
    );
    const saved = { ...parallelLoad };
    const load = async (opts: Partial<typeof parallelLoad>) => {
      Object.assign(parallelLoad, opts);
      const messages: string[] = [];
      const log = { ...logger, debug: (m: string) => void messages.push(m) } as unknown as Logger;
      try {
        const t = await openLake(own, { logger: log }).loadTable!('SigninLogs');
        const cols = t.fields.map((f) => [
          f.name,
          f.type,
          Array.from({ length: t.length }, (_, i) => colGet(f.col, i)),
        ]);
        return { cols, skipped: [t.skippedRows, t.skippedCells], messages };
      } finally {
        Object.assign(parallelLoad, saved);
      }
    };
    try {
      const one = await load({ enabled: false });
      const two = await load({ enabled: true, minParquetRows: 0 });
      assert.ok(
        two.messages.some((m) => /on 2 threads/.test(m)),
        two.messages.join('; '),
      );
      assert.deepStrictEqual(two.cols, one.cols);
      assert.deepStrictEqual(two.skipped, one.skipped);
      // a worker that cannot start: this thread reads its columns too
      const broken = await load({ enabled: true, minParquetRows: 0, workerFile: path.join(own, 'missing-worker.js') });
      assert.ok(
        broken.messages.some((m) => /read on one thread/.test(m)),
        broken.messages.join('; '),
      );
      assert.deepStrictEqual(broken.cols, one.cols);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('takes the declared schema types over the file types', async () => {
    const schema = { Id: 'string', Count: 'real', Missing: 'datetime', Location: 'string' } as unknown as Record<
      string,
      never
    >;
    const { t, col } = await columns('Events.parquet', schema);
    assert.deepEqual(
      t.fields.slice(0, 4).map((f) => [f.name, f.type]),
      [
        ['Id', 'string'],
        ['Count', 'real'],
        ['Missing', 'datetime'],
        ['Location', 'string'],
      ],
    );
    assert.deepEqual(col('Id').values, ['1', '2', '3']);
    assert.deepEqual(col('Count').values, [10, null, -3]);
    assert.deepEqual(col('Missing').values, [null, null, null]);
    assert.deepEqual(col('Location').values, ['{"city":"Berlin","n":2}', '', '{"city":null,"n":5}']);
  });

  it('reports a broken or truncated file and skips it; the other tables still load and answer queries', async () => {
    assert.match(parquetProblem(path.join(dir, 'Broken.parquet'))!, /not a readable Parquet file/);
    assert.match(parquetProblem(path.join(dir, 'Truncated.parquet'))!, /magic bytes/);
    assert.equal(parquetProblem(path.join(dir, 'Events.parquet')), undefined);
    warnings.length = 0;
    const lake = openLake(dir, { logger });
    assert.deepEqual(lake.tableNames().sort(), ['Events', 'Many']);
    assert.deepEqual(
      lake.skippedEntries!()
        .map((e) => e.file)
        .sort(),
      ['Broken.parquet', 'Truncated.parquet'],
    );
    assert.ok(
      warnings.some((w) => w.includes('Broken.parquet') && w.includes('not a readable Parquet file')),
      warnings.join('\n'),
    );
    const engine = createEngine(lake);
    const r = await engine.execute(
      'Events | where tostring(Location.city) == "Berlin" | project Name, Count, Flag, TimeGenerated',
    );
    assert.deepEqual(r.rows, [['alice', 10, true, '2026-11-20T09:15:02.123Z']]);
    const n = await engine.execute('Many | where isnotempty(User) | summarize dcount(User)');
    assert.deepEqual(n.rows, [[50]]);
  });

  it('says which file is damaged when its data pages cannot be read', async () => {
    const good = fs.readFileSync(path.join(dir, 'Many.parquet'));
    const bad = Buffer.from(good);
    bad.fill(0xff, 200, 4000); // the first column chunk's pages, footer intact
    const file = path.join(dir, 'Damaged.parquet');
    fs.writeFileSync(file, bad);
    try {
      await assert.rejects(
        loadParquet(file, 'Damaged', undefined),
        (e: Error) => e.name === 'UserError' && /Damaged\.parquet: not a readable Parquet file/.test(e.message),
      );
    } finally {
      fs.rmSync(file);
    }
  });
});
