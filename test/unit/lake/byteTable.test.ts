// The loaders' byte-keyed dictionary: a value is found from a file's bytes exactly when its text was stored.
import { strict as assert } from 'assert';
import { ByteTable, hashAscii, hashBytes } from '../../../src/core/columnar/byteTable';

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
