// The byte-level JSONL and CSV readers against the loaders they replaced (test/unit/lake/referenceLoaders.ts):
// on tricky and on random inputs, read with chunk boundaries everywhere, every value, type, null and count must
// be the same.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { colGet, ColumnarTable } from '../../../src/core/columnar/columns';
import { loadCsv, loadJsonl, parallelLoad, readChunk, TableAccumulator } from '../../../src/core/lake/load';
import { openLake } from '../../../src/core/lake/lake';
import type { KqlType } from '../../../src/core/types';
import { referenceChunk, referenceLoadCsv, referenceLoadJsonl } from './referenceLoaders';

const SCHEMA: Record<string, KqlType> = {
  S: 'string',
  G: 'guid',
  T: 'datetime',
  L: 'long',
  I: 'int',
  R: 'real',
  B: 'bool',
  D: 'dynamic',
  P: 'timespan',
  X: 'string',
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-byte-readers-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

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

let fileNo = 0;
async function both(
  kind: 'jsonl' | 'csv',
  bytes: Buffer,
  chunk: number,
  schema: Record<string, KqlType> | undefined = SCHEMA,
) {
  const file = path.join(dir, `t${fileNo++}.${kind}`);
  fs.writeFileSync(file, bytes);
  const saved = [readChunk.bytes, referenceChunk.bytes];
  readChunk.bytes = chunk;
  referenceChunk.bytes = chunk;
  try {
    const a = new TableAccumulator('T', schema);
    const b = new TableAccumulator('T', schema);
    if (kind === 'jsonl') {
      await referenceLoadJsonl(file, a);
      await loadJsonl(file, b);
    } else {
      await referenceLoadCsv(file, a);
      await loadCsv(file, b);
    }
    return { reference: rowsOf(a.finish()), bytes: rowsOf(b.finish()) };
  } finally {
    [readChunk.bytes, referenceChunk.bytes] = saved;
  }
}

async function same(kind: 'jsonl' | 'csv', text: string | Buffer, schema?: Record<string, KqlType>) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (const chunk of bytes.length < 8192 ? [1 << 20, 61, 7] : [1 << 20, 4093, 61]) {
    const r = await both(kind, bytes, chunk, schema);
    assert.deepStrictEqual(r.bytes, r.reference, `chunk ${chunk}`);
  }
  return (await both(kind, bytes, 1 << 20, schema)).bytes;
}

const TRICKY_JSONL_LINES = [
  '{"S":"plain","G":"00000000-0000-4000-8000-000000000001","T":"2026-11-20T04:14:27.472Z","L":42,"I":-7,"R":1.5,"B":true,"D":{"city":"Oslo"},"P":"01:02:03","X":"x"}',
  '{"S":"plain","G":"00000000-0000-4000-8000-000000000001","T":"2026-11-20T04:14:27.472Z","L":-0,"I":0,"R":-0.0,"B":false,"D":[1,"a]}",{"b":"\\"}"}],"P":"1.00:00:00","X":""}',
  '{"S":"esc\\"aped \\\\ \\u00e9 \\ud83d\\ude00 \\n","G":"","T":"11/20/2026, 9:15:02.123 AM","L":123456789012345678,"I":1e3,"R":12345678901234567890,"B":"true","D":"text","P":"2h","X":"é ünï 😀"}',
  '{"S":"","G":null,"T":null,"L":null,"I":null,"R":null,"B":null,"D":null,"P":null,"X":null}',
  '{"S":17,"G":true,"T":1700000000000,"L":"12","I":"1,234","R":"nan","B":1,"D":"[1,2]","P":"bad","X":{"o":1}}',
  '{"S":"wrong","G":"g","T":"not a date","L":"x","I":true,"R":"inf","B":"maybe","D":{},"P":"","X":[]}',
  ' {"S":"leading space","X":"a"}',
  '{"S":"trailing space","X":"a"}   ',
  '{"S":"tab\tinside"}',
  '{"S":"after", "X" : "spaces" , "L" : 1 }',
  '{"X":"other order","S":"b"}',
  '{"S":"dup","S":"second"}',
  '{"S":"unknown column","Extra":5}',
  '{"2":"integer key","S":"k"}',
  '{"S":"missing close"',
  '{"S":"junk after"} x',
  '{"S":truex}',
  '{"L":01}',
  '{"L":1.}',
  '{"L":-}',
  '{"R":1e+5,"L":2E-2}',
  '{}',
  '[]',
  '[1,2]',
  '42',
  '"just a string"',
  'null',
  '',
  '   ',
  '\u00a0',
  '{"D":{"deep":[[[[[[[[[[{"x":"]]]]"}]]]]]]]]]]}}',
  '{"D":{"a":1,}}',
  '{"S\\u0041":"escaped key"}',
  '{"S":"control \u0001 char"}',
  '{"__proto__":{"polluted":1},"S":"proto"}',
  '{"constructor":"c","S":"ctor"}',
];

describe('lake: byte-level JSONL reader', () => {
  it('reads tricky lines exactly as JSON.parse per line does', async () => {
    for (const eol of ['\n', '\r\n']) {
      const t = await same('jsonl', TRICKY_JSONL_LINES.join(eol) + eol);
      assert.ok(
        t.length > 15 && t.skippedRows > 10 && t.skippedCells > 3,
        `good and bad rows and cells: ${t.length} ${t.skippedRows} ${t.skippedCells}`,
      );
    }
    // one line per file too: the first line sets the key order the reader follows
    for (const line of TRICKY_JSONL_LINES)
      await same('jsonl', TRICKY_JSONL_LINES[0] + '\n' + line + '\n' + TRICKY_JSONL_LINES[1]);
  });

  it('drops a byte order mark, reads a last line without a newline, invalid UTF-8 as the decoder does', async () => {
    const good = TRICKY_JSONL_LINES[0];
    await same('jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good + '\n' + good)]));
    await same(
      'jsonl',
      Buffer.concat([
        Buffer.from(good + '\n{"S":"bad '),
        Buffer.from([0xff, 0xe2, 0x82]),
        Buffer.from('","X":"'),
        Buffer.from([0xe2]),
        Buffer.from('"}\r\n' + good),
      ]),
    );
    const t = await same('jsonl', good + '\r\n\r\n' + good + '\r');
    assert.equal(t.length, 2);
  });

  it('keeps every value in its row when lines change their keys', async () => {
    const lines = [
      '{"S":"a1","L":1}',
      '{"S":"a2","L":2}',
      '{"X":"x3","S":"a3"}',
      '{"S":"a4","L":4}',
      '{"S":"a5","L":5,"Extra":"e5"}',
      '{"S":"a6","L":6}',
      'not json',
      '{"S":"a8","X":"x8","L":8}',
      '{"S":"a9","L":9}',
    ];
    const t = await same('jsonl', lines.join('\n') + '\n');
    const col = (n: string) => t.fields.find((f) => f.name === n)!.values;
    assert.deepEqual(col('S'), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a8', 'a9']);
    assert.deepEqual(col('L'), [1, 2, null, 4, 5, 6, 8, 9]);
    assert.deepEqual(col('X'), ['', '', 'x3', '', '', '', 'x8', '']);
    assert.deepEqual(col('Extra'), ['', '', '', '', 'e5', '', '', '']);
    assert.deepEqual(col('T'), [null, null, null, null, null, null, null, null]);
    assert.equal(t.skippedRows, 1);
  });

  it('reads tables without a schema and with repeated, high-cardinality values', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify({ S: `v${i % 13}`, X: `id-${i}`, L: i, D: { k: i % 3 } }));
    await same('jsonl', lines.join('\n'), undefined);
    const t = await same('jsonl', lines.join('\n'));
    assert.equal(t.length, 3000);
  });

  it('agrees on random lines mixing every kind of value', async () => {
    const values = [
      '"a"',
      '"b"',
      '""',
      '"é"',
      '"\\u0041"',
      '"x\\"y"',
      '1',
      '-2',
      '3.5',
      '1e2',
      '0',
      'true',
      'false',
      'null',
      '{"c":"Oslo"}',
      '{"c":"Lima"}',
      '[1,"]"]',
      '"2026-01-02T03:04:05Z"',
      '"2026-01-02 03:04"',
      '"01:00:00"',
      '"nope"',
      '"1"',
      '"true"',
    ];
    const names = ['S', 'G', 'T', 'L', 'I', 'R', 'B', 'D', 'P', 'X', 'U'];
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 6; round++) {
      const lines: string[] = [];
      // mostly one key order (the reader's fast path), sometimes another, a missing or an unknown key
      const order = names.filter((k) => k !== 'U' && rnd(4) > 0);
      for (let i = 0; i < 400; i++) {
        const keys = rnd(10) === 0 ? names.filter(() => rnd(2) > 0) : order;
        const body = keys.map((k) => `"${k}":${values[rnd(values.length)]}`).join(rnd(20) === 0 ? ' , ' : ',');
        lines.push(rnd(50) === 0 ? `{${body}` : `{${body}}`);
      }
      await same('jsonl', lines.join(rnd(2) ? '\n' : '\r\n'));
    }
  });
});

const TRICKY_CSV = [
  'S,G,T [UTC],L,I,R,B,D,P,X,Extra',
  'plain,00000000-0000-4000-8000-000000000001,2026-11-20T04:14:27.472Z,42,-7,1.5,true,"{""city"":""Oslo""}",01:02:03,x,e1',
  '"quoted, comma","a ""quote"" inside","11/20/2026, 9:15:02.123 AM",1,2,3,false,"[1,2]",2h,"multi',
  'line",e2',
  ',,,,,,,,,,',
  'é,ü,not a date,x,1.5,nan,maybe,text,bad,😀,e3',
  '"junk"after,b,2026-01-02,1,2,3,1,{},1.00:00:00,y,e4',
  'too,few',
  'too,many,1,2,3,4,5,6,7,8,9,10,11',
  '',
  '"unterminated,at,the,end',
];

describe('lake: byte-level CSV reader', () => {
  it('reads tricky records exactly as the string reader does', async () => {
    for (const eol of ['\n', '\r\n']) {
      const t = await same('csv', TRICKY_CSV.join(eol));
      assert.ok(t.length >= 5 && t.skippedRows >= 2, 'good and bad records');
      await same('csv', TRICKY_CSV.join(eol) + eol);
      await same('csv', TRICKY_CSV.slice(0, -1).join(eol) + eol + eol);
    }
  });

  it('drops a byte order mark; a trailing comma, a lone CR, a header only', async () => {
    await same('csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TRICKY_CSV.slice(0, 3).join('\n'))]));
    await same('csv', 'S,X\ra,b\rc,');
    await same('csv', 'S,X\n');
    await same('csv', 'S,X');
    await same('csv', 'S,X\n"a""",b\n"",""\n" x ",y');
  });

  it('agrees on random records of quoted and plain fields', async () => {
    const cells = [
      'a',
      'b',
      '',
      '"q"',
      '"with,comma"',
      '"with ""quotes"""',
      '"new\nline"',
      '"cr\r\nlf"',
      'é',
      '1',
      '2.5',
      'true',
      '2026-01-02T03:04:05Z',
      '"{""c"":1}"',
      '[1]',
      '01:00:00',
      '"x"y',
      ' sp ',
    ];
    let seed = 777;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const header = ['S', 'G', 'T', 'L', 'R', 'B', 'D', 'P', 'X', 'U'];
    for (let round = 0; round < 6; round++) {
      const recs = [header.join(',')];
      for (let i = 0; i < 300; i++) {
        const n = rnd(15) === 0 ? rnd(12) : header.length;
        recs.push(Array.from({ length: n }, () => cells[rnd(cells.length)]).join(','));
      }
      await same('csv', recs.join(rnd(2) ? '\n' : '\r\n') + (rnd(2) ? '\n' : ''));
    }
  });
});

describe('lake: CSV on two threads', () => {
  async function load(lakeDir: string, opts: Partial<typeof parallelLoad>) {
    const saved = { ...parallelLoad };
    Object.assign(parallelLoad, opts);
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
      const t = await openLake(lakeDir, { logger }).loadTable!('SigninLogs');
      return { t: rowsOf(t), messages };
    } finally {
      Object.assign(parallelLoad, saved);
    }
  }
  const lakeWith = (csv: string) => {
    const d = fs.mkdtempSync(path.join(dir, 'lake-'));
    fs.writeFileSync(path.join(d, 'SigninLogs.csv'), csv);
    return d;
  };
  const record = (i: number) =>
    [
      new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      `user${i % 37}@contoso.com`,
      String(i % 3),
      `"{""city"":""${i % 2 ? 'Oslo' : 'Lima'}"",""n"":${i % 5}}"`,
      i % 11 === 0 ? '"two\nlines, ""quoted"""' : `plain ${i % 7}`,
      `corr-${i}`,
    ].join(',');
  const header =
    'TimeGenerated [UTC],UserPrincipalName,ResultType,LocationDetails,ResultDescription,CorrelationId,Unknown';

  it('reads the second half on a worker when a record starts at the middle line break', async function () {
    this.timeout(60000);
    const recs = [header];
    for (let i = 0; i < 6000; i++) recs.push(record(i) + (i % 500 === 3 ? '' : ',u' + (i % 3)));
    const d = lakeWith(recs.join('\r\n') + '\r\n');
    const one = await load(d, { enabled: false });
    assert.ok(one.t.skippedRows > 0, 'records with a missing field are skipped');
    const two = await load(d, { enabled: true, minBytes: 0 });
    assert.equal(two.messages.filter((m) => /on 2 threads/.test(m)).length, 1, two.messages.join('; '));
    assert.deepStrictEqual(two.t, one.t);
  });

  it('reads on alone when the middle line break is inside a quoted field', async function () {
    this.timeout(60000);
    const recs = [header];
    for (let i = 0; i < 50; i++) recs.push(record(i) + ',u');
    // one quoted field of many lines across the middle of the file
    recs.push(record(50).replace('plain 1', `"${'a line\n'.repeat(4000)}"`) + ',u');
    for (let i = 51; i < 100; i++) recs.push(record(i) + ',u');
    const d = lakeWith(recs.join('\n'));
    const one = await load(d, { enabled: false });
    const two = await load(d, { enabled: true, minBytes: 0 });
    assert.equal(two.messages.filter((m) => /inside a quoted field/.test(m)).length, 1, two.messages.join('; '));
    assert.deepStrictEqual(two.t, one.t);
    assert.equal(one.t.length, 100);
  });
});

describe('lake: malformed rows are skipped and reported with their line numbers', () => {
  async function warningsOf(file: string, text: string | Buffer, opts: Partial<typeof parallelLoad> = {}) {
    const d = fs.mkdtempSync(path.join(dir, 'lines-'));
    fs.writeFileSync(path.join(d, file), text);
    const saved = { ...parallelLoad };
    Object.assign(parallelLoad, opts);
    try {
      const warnings: string[] = [];
      const messages: string[] = [];
      const logger = {
        trace: () => {},
        debug: (m: string) => void messages.push(m),
        info: () => {},
        warn: (m: string) => void warnings.push(m),
        error: () => {},
      };
      const t = await openLake(d, { logger }).loadTable!(file.replace(/\..*/, ''));
      return { t, warnings, messages };
    } finally {
      Object.assign(parallelLoad, saved);
    }
  }

  it('names the lines of bad JSONL lines (after a byte order mark, with CRLF and blank lines)', async () => {
    const text = ['{"S":"a"}', '{"S":', '{"S":"c"}', '', '[1,2]', '{"S":"f"}', 'nonsense'].join('\r\n');
    const { t, warnings } = await warningsOf(
      'Events.jsonl',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    );
    assert.equal(t.length, 3);
    assert.equal(t.skippedRows, 3);
    assert.deepEqual(warnings, ['lake: Events: skipped 3 malformed row(s) (lines 2, 5, 7) and 0 malformed cell(s)']);
  });

  it('names the line a bad CSV record starts on, counting line breaks inside quoted fields', async () => {
    const csv = [
      'A,B,C',
      '1,"two',
      'lines",x', // lines 2-3: one record
      '4,only two', // line 4: a field short
      '5,five,y',
      '6,"six', // lines 6-7: four fields
      'seven",z,extra',
      '8,eight,w',
    ].join('\n');
    for (const bom of ['', '\ufeff']) {
      const { t, warnings } = await warningsOf('Events.csv', bom + csv + '\n');
      assert.equal(t.length, 3);
      assert.deepEqual(warnings, ['lake: Events: skipped 2 malformed row(s) (lines 4, 6) and 0 malformed cell(s)']);
    }
  });

  it('gives the same lines when the second half of the file is read on another thread', async function () {
    this.timeout(60000);
    const lines: string[] = [];
    for (let i = 1; i <= 4000; i++)
      lines.push(i % 700 === 0 ? `{"S":"broken ${i}"` : JSON.stringify({ S: `v${i % 9}`, L: i }));
    const text = lines.join('\n') + '\n';
    const one = await warningsOf('Events.jsonl', text, { enabled: false });
    const two = await warningsOf('Events.jsonl', text, { enabled: true, minBytes: 0 });
    assert.equal(two.messages.filter((m) => /on 2 threads/.test(m)).length, 1, two.messages.join('; '));
    const expected =
      'lake: Events: skipped 5 malformed row(s) (lines 700, 1400, 2100, 2800, 3500) and 0 malformed cell(s)';
    assert.deepEqual(one.warnings, [expected]);
    assert.deepEqual(two.warnings, [expected]);
  });
});
