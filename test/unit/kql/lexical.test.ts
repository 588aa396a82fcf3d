// Comments and string literals blanked out of a KQL text, offsets kept, so text searches see only code.
import * as assert from 'assert';
import { codeOnly } from '../../../src/core/kql/lexical';

describe('KQL code regions (comments and string literals)', () => {
  it('blanks comments and every literal form, keeping offsets and line breaks', () => {
    const text =
      'T // ago(45d)\n| where a == "x\\"y" and b == @\'C:\\\' and c == h"z" | extend d = ```\nago(9d)\n``` | take 1';
    const code = codeOnly(text);
    assert.strictEqual(code.length, text.length);
    assert.deepStrictEqual(code.split('\n').length, text.split('\n').length);
    assert.strictEqual(code.replace(/\s+/g, ' ').trim(), 'T | where a == and b == and c == | extend d = | take 1');
  });

  it('an unterminated literal ends at its line, the next line is code again', () => {
    assert.strictEqual(codeOnly('T | where a == "open\n| where t > ago(45d)').split('\n')[1], '| where t > ago(45d)');
  });
});
