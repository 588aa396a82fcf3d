// Regular expressions run on a linear-time RE2 engine: no pattern and no input can backtrack for ever,
// empty matches advance by whole code points, and a bad pattern is a clear error naming it.
import { strict as assert } from 'assert';
import { failsWithin, rows, rowsWithin } from './engineSupport';

describe('reliability: regular expressions', function () {
  this.timeout(60000);
  before(async () => {
    await rows('print 1');
  }); // load the parser outside the timed queries

  const bombs: [string, unknown][] = [
    ['print strrep("a",32) matches regex "^(a+)+$x"', false],
    ['print extract("(a|aa)+$", 0, strcat(strrep("a",40),"b"))', ''],
    ['print strcat(strrep("x", 1024), "z") matches regex "^(x+x+)+y$"', false],
    ['print countof(strrep("ab", 1000), "(a|ab|b)*c", "regex")', 0],
    ['print replace_regex(strrep("a", 1000), "(a*)*b", "x") == strrep("a", 1000)', true],
    ['print s = strcat(strrep("a", 50), "!") | parse kind=regex s with x:string "(a|a)+b"  | project isempty(x)', true],
  ];
  for (const [query, expected] of bombs) {
    it(`a catastrophic-backtracking pattern answers fast: ${query}`, async () => {
      assert.deepEqual(await rowsWithin(3000, query), [[expected]]);
    });
  }

  it('empty matches over astral characters advance by whole code points', async () => {
    assert.deepEqual(await rowsWithin(3000, 'print countof("😀", @"\\p{L}*", "regex")'), [[2]]);
    assert.deepEqual(await rowsWithin(3000, 'print extract_all(@"\\p{L}*", "😀")'), [[['', '']]]);
    assert.deepEqual(await rowsWithin(3000, 'print extract_all(@"(\\p{L}*)", "a😀b")'), [[['a', '', 'b', '']]]);
    assert.deepEqual(await rowsWithin(3000, 'print indexof_regex("😀😀a", @"\\p{L}*", 0, -1, 3)'), [[4]]);
    assert.deepEqual(await rowsWithin(3000, 'print replace_regex("😀😀", "", "-")'), [['-😀-😀-']]);
    assert.deepEqual(await rowsWithin(3000, 'print countof(strrep("😀", 1000), "x*", "regex")'), [[1001]]);
  });

  it('a rewrite with `${` and no `}` is literal text, and groups are \\N, $N and ${N}', async () => {
    assert.deepEqual(await rowsWithin(3000, 'print replace_regex("abc","b","x${y"), replace("b","x${y","abc")'), [
      ['ax${yc', 'ax${yc'],
    ]);
    assert.deepEqual(
      await rows('print replace_regex("hello world", @"(\\w+) (\\w+)", @"\\2 \\1|$2|${1}|\\0|$|\\\\|\\9")'),
      [['world hello|world|hello|hello world|$|\\|']],
    );
    assert.deepEqual(await rows('print replace_regex("ab", "(?P<x>a)", "[${x}]")'), [['[a]b']]);
  });

  it('RE2 syntax works: (?i), named groups, POSIX classes, \\pL, (?U)', async () => {
    assert.deepEqual(
      await rows(
        'print "Sign-In FAILED" matches regex "(?i)failed", extract("(?P<n>[[:digit:]]+)", 1, "id 42"), extract(@"(\\pL+)", 1, "ünï1"), extract("(?U)(a+)", 1, "aaa")',
      ),
      [[true, '42', 'ünï', 'a']],
    );
  });

  it('parse_user_agent of a long hostile user agent answers fast (its own patterns run on RE2)', async () => {
    const [[family]] = await rowsWithin(
      5000,
      'print tostring(parse_user_agent(strrep("Android Chrome/1.1 ", 5000), "browser").Browser.Family)',
    );
    assert.equal(family, 'Chrome');
  });

  it('a pattern RE2 rejects is a clear error naming the pattern', async () => {
    await failsWithin(
      5000,
      'print extract("(a)\\\\1", 0, "aa")',
      /invalid regular expression '\(a\)\\1'.*RE2: no backreferences/,
    );
    await failsWithin(5000, 'print "x" matches regex "(?=x)"', /invalid regular expression '\(\?=x\)'/);
    await failsWithin(
      5000,
      'print replace_regex("x", "(unclosed", "y")',
      /invalid regular expression '\(unclosed'.*missing closing \)/,
    );
    await failsWithin(5000, 'print s="a" | parse kind=regex s with x:string "[z-a]"', /regular expression/);
  });
});
