import * as assert from 'assert';
import { blockAtLine, splitQueryBlocks } from '../../../src/core/kql/blocks';

describe('query blocks', () => {
  it('splits a file into runs of non-blank lines', () => {
    const text = 'SigninLogs\n| take 10\n\n\nAuditLogs\n| count\n';
    const blocks = splitQueryBlocks(text);
    assert.deepStrictEqual(
      blocks.map((b) => [b.startLine, b.endLine]),
      [
        [0, 1],
        [4, 5],
      ],
    );
    assert.strictEqual(blocks[1].text, 'AuditLogs\n| count');
  });

  it('keeps let statements with the query below them', () => {
    const text = 'let TargetUpn = "a@b.com";\nlet Days = 7d;\n\nSigninLogs\n| where UserPrincipalName == TargetUpn\n';
    const blocks = splitQueryBlocks(text);
    assert.strictEqual(blocks.length, 1);
    assert.deepStrictEqual([blocks[0].startLine, blocks[0].endLine, blocks[0].firstCodeLine], [0, 4, 0]);
  });

  it('puts the lens on the first line of code, after leading comments', () => {
    const blocks = splitQueryBlocks('// Daily baseline\n// for a user\nSigninLogs\n| count');
    assert.strictEqual(blocks[0].firstCodeLine, 2);
    assert.strictEqual(blocks[0].startLine, 0);
  });

  it('skips comment-only runs and blank files', () => {
    assert.deepStrictEqual(splitQueryBlocks(''), []);
    assert.deepStrictEqual(splitQueryBlocks('\n\n   \n'), []);
    const blocks = splitQueryBlocks('// notes only\n\n// more notes\nT | count');
    assert.strictEqual(blocks.length, 1);
    assert.strictEqual(blocks[0].firstCodeLine, 3);
  });

  it('does not split a multi-line ``` string that contains a blank line', () => {
    const text = 'print x = ```line one\n\nline three```\n| extend y = 1\n\nT | count';
    const blocks = splitQueryBlocks(text);
    assert.deepStrictEqual(
      blocks.map((b) => [b.startLine, b.endLine]),
      [
        [0, 3],
        [5, 5],
      ],
    );
  });

  it('handles a let statement that spans lines', () => {
    const text = 'let Known = SigninLogs\n| distinct Location;\n\nSigninLogs | join kind=leftanti Known on Location';
    const blocks = splitQueryBlocks(text);
    assert.strictEqual(blocks.length, 1);
    assert.deepStrictEqual([blocks[0].startLine, blocks[0].endLine], [0, 3]);
  });

  it('finds the block under the cursor', () => {
    const blocks = splitQueryBlocks('A | count\n\nB | count\n| take 1');
    assert.strictEqual(blockAtLine(blocks, 3)?.startLine, 2);
    assert.strictEqual(blockAtLine(blocks, 1)?.startLine, 0);
  });

  it('accepts CRLF line endings', () => {
    const blocks = splitQueryBlocks('A | count\r\n\r\nB | count\r\n');
    assert.strictEqual(blocks.length, 2);
    assert.strictEqual(blocks[1].text, 'B | count');
  });
});
