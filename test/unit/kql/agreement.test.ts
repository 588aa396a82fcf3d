// Operators and functions share one regex translator and one datetime parser: they agree on tricky input.
import { strict as assert } from 'assert';
import { parseDatetime as lakeDatetime } from '../../../src/core/columnar/convert';
import { parseDatetime } from '../../../src/core/columnar/values';
import { rows } from './helpers';

const kql = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

describe('engine: operators and functions agree', () => {
  const cases: { pattern: string; text: string; match: boolean; group?: string }[] = [
    { pattern: '^[[:alpha:]]+([[:digit:]]+)$', text: 'abc123', match: true, group: '123' },
    { pattern: '^[[:alpha:]]+([[:digit:]]+)$', text: 'abc12x', match: false },
    { pattern: '\\Qa.b\\E(.)', text: 'xa.bc', match: true, group: 'c' },
    { pattern: '\\Qa.b\\E(.)', text: 'xaxbc', match: false },
    { pattern: '(\\pL+)\\d', text: 'héllo1', match: true, group: 'héllo' },
    { pattern: '(b)\\z', text: 'ab\n', match: false },
    { pattern: '(b)\\z', text: 'ab', match: true, group: 'b' },
    { pattern: '(?i)(USER)', text: 'the user', match: true, group: 'user' },
    { pattern: '(?P<n>\\d+)', text: 'id 42', match: true, group: '42' },
  ];

  for (const c of cases) {
    it(`\`${c.pattern}\` on ${JSON.stringify(c.text)}: matches regex, extract and parse kind=regex agree`, async () => {
      const [[m, x]] = await rows(
        `print s = ${kql(c.text)} | project m = s matches regex ${kql(c.pattern)}, x = extract(${kql(c.pattern)}, 1, s)`,
      );
      assert.equal(m, c.match);
      assert.equal(x, c.match ? c.group : ''); // extract() of no match is empty
      const p = await rows(
        `print s = ${kql(c.text)} | parse kind=regex s with * ${kql(c.pattern.replace(/^\^|^\(\?i\)/, ''))} | project s`,
      );
      assert.equal(p.length, 1);
    });
  }

  it('parse kind=regex honours the U flag through the shared translator', async () => {
    assert.deepEqual(
      await rows('print s="a1b22c" | parse kind=regex flags=U s with "a" x:string "[0-9]" * | project x'),
      [['']],
    );
    assert.deepEqual(await rows('print s="a1b22c" | parse kind=regex s with "a" x:string "[0-9]" * | project x'), [
      ['1b2'],
    ]);
  });

  const forms = [
    '2026-01-02T03:04:05Z',
    '2026-01-02 03:04:05',
    '2026-01-02',
    '2026-1-2 3:04',
    '2026-01-02T03:04:05.1234567Z',
    '2026-01-02T03:04:05+02:00',
    '2026-02-29',
    '2024-02-29T23:59:59.999Z',
    '20260102T030405Z',
    '2026/01/02 03:04',
    'Fri, 02 Jan 2026 03:04:05 GMT',
    '01/02/2026 03:04',
  ];
  for (const f of forms) {
    it(`datetime ${JSON.stringify(f)}: literal, todatetime() and the lake loader agree`, async () => {
      const expect = parseDatetime(f);
      assert.equal(lakeDatetime(f), expect);
      const [[t]] = await rows(`print todatetime(${kql(f)})`);
      const [[c]] = await rows(`print s = ${kql(f)} | parse s with d:datetime | project d`);
      const iso = expect === null ? null : (await rows(`print todatetime(${kql(f)})`))[0][0];
      assert.equal(t, iso);
      assert.equal(c, iso);
      if (expect !== null && !/,/.test(f)) assert.deepEqual(await rows(`print datetime(${f})`), [[iso]]);
    });
  }

  it('the fast ISO path agrees with the general one on random timestamps', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let k = 0; k < 2000; k++) {
      const y = 1 + rnd(9999),
        mo = 1 + rnd(12),
        d = 1 + rnd(31),
        h = rnd(24),
        mi = rnd(60),
        s = rnd(60);
      const frac =
        rnd(3) === 0
          ? ''
          : '.' +
            String(rnd(10_000_000))
              .padStart(7, '0')
              .slice(0, 1 + rnd(7));
      const text = `${p2(y, 4)}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}${frac}Z`;
      // the same instant with an explicit +00:00 offset takes the regular-expression path
      assert.equal(parseDatetime(text), parseDatetime(text.replace(/Z$/, '+00:00')), text);
    }
  });
});
