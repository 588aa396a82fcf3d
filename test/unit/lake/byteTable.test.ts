// The loaders' byte-level helpers: the dictionary finds a value from a file's bytes exactly when its text was
// stored; datetimes read from the bytes are the ones the text parser reads.
import { strict as assert } from 'assert';
import { ByteTable, hashAscii, hashBytes } from '../../../src/core/columnar/byteTable';
import { parseDatetime, parseIsoAscii } from '../../../src/core/columnar/values';

describe('lake: byte-keyed dictionary', () => {
  it('hashes the bytes of ASCII text as it hashes the text, at every length and offset', () => {
    for (let n = 0; n <= 40; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 37 + n) % 95))).join('');
      const b = Buffer.from('##' + s + '##', 'latin1');
      assert.equal(hashBytes(b, 2, 2 + n), hashAscii(s), `length ${n}`);
    }
    assert.equal(hashAscii('café'), undefined);
    assert.equal(hashAscii('abcdé'), undefined);
  });

  it('finds each of many keys that differ in one byte or in length, and no key it was not given', () => {
    const t = new ByteTable();
    const keys: string[] = [];
    // ids that differ only in one position (as UUIDs and counters do), and prefixes of one another
    for (let i = 0; i < 3000; i++) keys.push(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (let n = 1; n <= 30; n++) keys.push('x'.repeat(n));
    for (const [i, k] of keys.entries()) t.set(k, hashAscii(k)!, i);
    assert.equal(t.size, keys.length);
    for (const [i, k] of keys.entries()) {
      const b = Buffer.from(`"${k}"`, 'latin1');
      assert.equal(t.get(b, 1, b.length - 1, hashBytes(b, 1, b.length - 1)), i, k);
      assert.equal(t.getText(k, hashAscii(k)!), i, k);
    }
    for (const k of ['x'.repeat(31), '00000000-0000-4000-8000-000000003000', '', 'y']) {
      const b = Buffer.from(k, 'latin1');
      assert.equal(t.get(b, 0, b.length, hashBytes(b, 0, b.length)), -1, k);
    }
  });
});

describe('lake: datetimes read from the bytes', () => {
  it('reads every text of the ISO form as parseDatetime does, and leaves the rest to it', () => {
    const texts = [
      '2026-11-20T04:14:27.472Z',
      '2026-11-20T04:14:27Z',
      '2026-11-20 04:14',
      '2026-11-20',
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2026-13-01',
      '2026-11-20T24:00:00Z',
      '2026-11-20T04:14:27.1234567Z',
      '2026-11-20T04:14:27.123456789z',
      '2026-11-20T04:14:27.1234567891Z',
      '2026-11-20T04:14:27.Z',
      '2026-11-20T04:14:2',
      '2026-11-20T04:14:27+01:00',
      '2026-11-20T04:14:27ZZ',
      '0000-01-01',
      '1601-01-01T00:00:00Z',
      '9999-12-31T23:59:59.9999999Z',
      '2026/11/20',
      '20261120',
      'Nov 20 2026',
      '',
    ];
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let i = 0; i < 2000; i++) {
      const chars = '0123456789-:T .Z';
      const base = '2026-11-20T04:14:27.472Z'.split('');
      for (let k = 0; k < 1 + rnd(3); k++) base[rnd(base.length)] = chars[rnd(chars.length)];
      texts.push(base.slice(0, 10 + rnd(15)).join(''));
    }
    for (const s of texts) {
      const b = Buffer.from(`"${s}"`, 'latin1');
      const fromBytes = parseIsoAscii(b, 1, b.length - 1);
      const fromText = parseDatetime(s);
      if (fromBytes !== undefined) assert.equal(fromBytes, fromText, s);
      else assert.ok(fromText === null || !/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?[Zz]?)?$/.test(s), s);
    }
    assert.equal(
      parseIsoAscii(Buffer.from('2026-11-20T04:14:27.472Z'), 0, 24),
      Date.UTC(2026, 10, 20, 4, 14, 27, 472) * 1000,
    );
  });
});
