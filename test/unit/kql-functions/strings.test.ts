import { strict as assert } from 'assert';
import { KqlError } from '../../../src/core/errors';
import { call, dt, ts } from './helpers';

const S = 'string' as const;

describe('kql functions: strings', () => {
  it('tolower/toupper/strlen treat null as empty', () => {
    assert.equal(call('tolower', ['AbC'], [S], S), 'abc');
    assert.equal(call('toupper', [null], [S], S), '');
    assert.equal(call('strlen', ['hello'], [S], 'long'), 5);
    assert.equal(call('strlen', [''], [S], 'long'), 0);
    assert.equal(call('string_size', ['⒦⒰⒮⒯⒪'], [S], 'long'), 15);
  });

  it('strcat/strcat_delim print every argument type', () => {
    assert.equal(call('strcat', ['a', 1, null, 2.5], [S, 'long', 'long', 'real'], S), 'a12.5');
    assert.equal(
      call('strcat_delim', ['-', 1, '2', 'A', ts('1s')], [S, 'long', S, S, 'timespan'], S),
      '1-2-A-00:00:01',
    );
    assert.equal(call('strcat_array', [[1, 2, 3], '->'], ['dynamic', S], S), '1->2->3');
  });

  it('split keeps empty parts and indexes', () => {
    assert.deepEqual(call('split', ['aa_bb', '_'], [S, S]), ['aa', 'bb']);
    assert.deepEqual(call('split', ['aaa_bbb_ccc', '_', 1], [S, S, 'long']), ['bbb']);
    assert.deepEqual(call('split', ['aaa_bbb', '_', 5], [S, S, 'long']), []);
    assert.deepEqual(call('split', ['', '_'], [S, S]), ['']);
    assert.deepEqual(call('split', ['a__b', '_'], [S, S]), ['a', '', 'b']);
  });

  it('substring clamps out-of-range starts and counts negatives from the end', () => {
    assert.equal(call('substring', ['123456', 1], [S, 'long'], S), '23456');
    assert.equal(call('substring', ['123456', 2, 2], [S, 'long', 'long'], S), '34');
    assert.equal(call('substring', ['123456', -2, 2], [S, 'long', 'long'], S), '56');
    assert.equal(call('substring', ['123', 10], [S, 'long'], S), '');
    assert.equal(call('substring', ['123', 0, 99], [S, 'long', 'long'], S), '123');
    assert.equal(call('substring', ['123', null], [S, 'long'], S), '');
  });

  it('indexof follows the documented start/length/occurrence rules', () => {
    const idx = (...a: unknown[]) => call('indexof', a, [S, S, 'long', 'long', 'long'], 'long');
    assert.equal(idx('abcdefg', 'cde'), 2);
    assert.equal(idx('abcdefg', 'cde', 1, 4), 2);
    assert.equal(idx('abcdefg', 'cde', 1, 2), -1);
    assert.equal(idx('abcdefg', 'cde', 3, 4), -1);
    assert.equal(idx('abcdefg', 'cde', -5), 2);
    assert.equal(idx('abcdefgabcdefg', 'cde', 1, 10, 2), 9);
    assert.equal(idx('abcdefgabcdefg', 'cde', 1, -1, 3), -1);
    assert.equal(idx('abc', 'b', 0, -1, 0), null);
  });

  it('replace_string, replace_regex (RE2 rewrite) and legacy replace', () => {
    assert.equal(call('replace_string', ['A magic trick', 'magic', 'cool'], [S, S, S], S), 'A cool trick');
    assert.equal(call('replace_string', ['aaa', '', 'x'], [S, S, S], S), 'aaa');
    assert.equal(call('replace_regex', ['Number is 1', 'is (\\d+)', 'was: \\1'], [S, S, S], S), 'Number was: 1');
    assert.equal(call('replace', ['is (\\d+)', 'was $1', 'Number is 7'], [S, S, S], S), 'Number was 7');
    assert.equal(call('replace_regex', ['a1b22', '\\d+', '<\\0>'], [S, S, S], S), 'a<1>b<22>');
    assert.equal(call('replace_regex', ['cost $5', 'cost', 'price'], [S, S, S], S), 'price $5');
    assert.equal(call('replace_strings', ['abc', ['a', 'b'], ['b', 'a']], [S, 'dynamic', 'dynamic'], S), 'bac');
    const msg = 'This is an example';
    assert.equal(
      call('replace_strings', [msg, ['This', 'is'], ['This', 'was']], [S, 'dynamic', 'dynamic'], S),
      'This was an example',
    );
    assert.equal(
      call('replace_strings', [msg, ['is', 'This'], ['was', 'This']], [S, 'dynamic', 'dynamic'], S),
      'Thwas was an example',
    );
    assert.equal(
      call('replace_strings', [msg, ['This', 'is'], [12345, 'was']], [S, 'dynamic', 'dynamic'], S),
      'This was an example',
    );
  });

  it('trim/trim_start/trim_end remove a regex at the ends', () => {
    assert.equal(call('trim', ['--', '--https://bing.com--'], [S, S], S), 'https://bing.com');
    assert.equal(call('trim', ['[^\\w]+', '-  Te st1// $'], [S, S], S), 'Te st1');
    assert.equal(call('trim_start', ['[^\\w]+', '  ab  '], [S, S], S), 'ab  ');
    assert.equal(call('trim_end', ['\\s+', '  ab  '], [S, S], S), '  ab');
  });

  it('countof counts overlapping plain matches and non-overlapping regex matches', () => {
    assert.equal(call('countof', ['aaaa', 'aa'], [S, S], 'long'), 3);
    assert.equal(call('countof', ['ababa', 'ab', 'regex'], [S, S, S], 'long'), 2);
    assert.equal(call('countof', ['abc', ''], [S, S], 'long'), 0);
  });

  it('reverse, strrep, strcmp, translate', () => {
    assert.equal(call('reverse', ['ABC'], [S], S), 'CBA');
    assert.equal(call('reverse', [dt('2017-10-15 12:00')], ['datetime'], S), 'Z0000000.00:00:21T51-01-7102');
    assert.equal(call('strrep', [123, 3, '.'], ['long', 'long', S], S), '123.123.123');
    assert.equal(call('strrep', ['ab', -1], [S, 'long'], S), '');
    assert.equal(call('strcmp', ['a', 'b'], [S, S], 'long'), -1);
    assert.equal(call('translate', ['abc', 'x', 'abc'], [S, S, S], S), 'xxx');
    assert.equal(call('translate', ['abc', '', 'ab'], [S, S, S], S), '');
  });

  it('extract converts to the requested type and gives empty/null without a match', () => {
    assert.equal(call('extract', ['User: ([^,]+)', 1, 'User: James, Age: 29'], [S, 'long', S], S), 'James');
    assert.equal(call('extract', ['Email: (\\S+),', 1, 'User: David'], [S, 'long', S], S), '');
    assert.equal(call('extract', ['-(\\d{2})-', 1, '21-07-2023'], [S, 'long', S], 'int'), 7);
    assert.equal(call('extract', ['x(\\d)', 1, 'none'], [S, 'long', S], 'int'), null);
    assert.equal(call('extract', ['\\d+', 0, 'Age: 35'], [S, 'long', S], S), '35');
  });

  it('extract_all returns every match, selected groups and named groups', () => {
    const id = '82b8be2d-dfa7';
    assert.deepEqual(call('extract_all', ['([\\da-f]{2})', 'ab-cd'], [S, S]), ['ab', 'cd']);
    assert.deepEqual(call('extract_all', ['(\\w)(\\w+)(\\w)', [1, 3], id], [S, 'dynamic', S]), [
      ['8', 'd'],
      ['d', '7'],
    ]);
    assert.deepEqual(
      call('extract_all', ['(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)', ['first', 2, 'last'], id], [S, 'dynamic', S]),
      [
        ['8', '2b8be2', 'd'],
        ['d', 'fa', '7'],
      ],
    );
    assert.equal(call('extract_all', ['(x)', 'abc'], [S, S]), null);
  });

  it('extract_json follows a JSONPath', () => {
    assert.equal(call('extract_json', ['$.a.b[1]', '{"a":{"b":[1,2]}}'], [S, S], 'long'), 2);
    assert.equal(call('extract_json', ["$['a']", '{"a":"x"}'], [S, S], S), 'x');
    assert.equal(call('extract_json', ['$.missing', '{"a":"x"}'], [S, S], S), '');
  });

  it('an invalid regular expression is a clear error, not a crash', () => {
    assert.throws(() => call('extract', ['(unclosed', 0, 'x'], [S, 'long', S], S), KqlError);
    assert.throws(() => call('replace_regex', ['x', '(a)\\1', 'y'], [S, S, S], S), KqlError);
  });

  it('translates RE2 syntax: named groups, inline flags, POSIX classes, \\Q..\\E, \\z', () => {
    assert.equal(call('extract', ['(?i)hello', 0, 'say HELLO'], [S, 'long', S], S), 'HELLO');
    assert.equal(call('extract', ['[[:digit:]]+', 0, 'ab123'], [S, 'long', S], S), '123');
    assert.equal(call('extract', ['\\Qa.b\\E', 0, 'xa.by'], [S, 'long', S], S), 'a.b');
    assert.equal(call('extract', ['b\\z', 0, 'ab'], [S, 'long', S], S), 'b');
    assert.equal(call('extract', ['\\p{Greek}+', 0, 'abc αβγ'], [S, 'long', S], S), 'αβγ');
    assert.equal(call('extract', ['(?U)a(.*)b', 1, 'a1b2b'], [S, 'long', S], S), '1', 'U makes .* lazy');
    assert.equal(call('extract', ['(?U)a(.*?)b', 1, 'a1b2b'], [S, 'long', S], S), '1b2', 'and .*? greedy');
    assert.equal(call('extract', ['(?U)(\\d{2,3})', 1, '12345'], [S, 'long', S], S), '12');
  });
});

describe('kql functions: has_any_index and around', () => {
  it('has_any_index finds the first lookup that is a term of the text', () => {
    const text = 'this is an example';
    assert.equal(call('has_any_index', [text, ['this', 'example']], ['string', 'dynamic'], 'long'), 0);
    assert.equal(call('has_any_index', [text, ['not', 'example']], ['string', 'dynamic'], 'long'), 1);
    assert.equal(call('has_any_index', [text, ['exam']], ['string', 'dynamic'], 'long'), -1);
    assert.equal(call('has_any_index', ['Example number 2', [1, 2, 3]], ['string', 'dynamic'], 'long'), 1);
    assert.equal(call('has_any_index', [text, []], ['string', 'dynamic'], 'long'), -1);
  });

  it('around is an inclusive window around a centre', () => {
    const args = (t: string) => [dt(t), dt('2021-01-01 01:30'), ts('1m')];
    const types = ['datetime', 'datetime', 'timespan'] as const;
    assert.equal(call('around', args('2021-01-01 01:31'), [...types], 'bool'), true);
    assert.equal(call('around', args('2021-01-01 01:32'), [...types], 'bool'), false);
    assert.equal(call('around', [5, 3, 2], ['long', 'long', 'long'], 'bool'), true);
  });
});
