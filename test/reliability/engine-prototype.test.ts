// Keys are data: no query, no lake row and no column name can reach Object.prototype, lose a key or
// break the lake for later queries.
import { strict as assert } from 'assert';
import { lakeEngine, rows } from './engineSupport';

// JSON.stringify of object literals would drop `__proto__`; write the lines by hand.
const WEIRD_JSONL =
  [
    '{"TimeGenerated":"2026-11-20T10:00:00Z","User":"a","Bag":{"__proto__":{"polluted":"yes"},"constructor":"c","toString":"t","hasOwnProperty":"h"}}',
    '{"TimeGenerated":"2026-11-20T11:00:00Z","User":"b","Bag":{"plain":1}}',
  ].join('\n') + '\n';
const COLUMNS_JSONL =
  '{"TimeGenerated":"2026-11-20T10:00:00Z","constructor":"c1","toString":"t1","valueOf":"v1","hasOwnProperty":"h1","__proto__":"p1","Name":"n1"}\n';

describe('reliability: prototype-named keys', function () {
  this.timeout(60000);

  afterEach(() => {
    // nothing a query did may be visible on Object.prototype
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
    assert.equal(typeof Object.prototype.toString, 'function');
  });

  it('bag_set_key on $.__proto__ writes a key of the bag, not the prototype, and later queries are unharmed', async () => {
    assert.deepEqual(
      await rows(
        'print b = bag_set_key(dynamic({}), "$.__proto__.polluted", "yes") | extend y = parse_json("{}").polluted, k = bag_keys(b)',
      ),
      [[JSON.parse('{"__proto__":{"polluted":"yes"}}'), null, ['__proto__']]],
    );
    assert.deepEqual(await rows('print parse_json("{}").polluted, dynamic({}).constructor, dynamic({}).toString'), [
      [null, null, null],
    ]);
  });

  it('bag_remove_keys cannot delete from the prototype; bag_has_key sees only own keys', async () => {
    assert.deepEqual(
      await rows(
        'print bag_remove_keys(dynamic({"a":1}), dynamic(["$.__proto__.hasOwnProperty", "constructor", "toString"])), bag_has_key(dynamic({}), "toString"), bag_has_key(dynamic({"constructor":1}), "constructor")',
      ),
      [[{ a: 1 }, false, true]],
    );
    assert.deepEqual(await rows('print tostring(bag_pack("k", 1))'), [['{"k":1}']]);
  });

  it('__proto__, constructor and hasOwnProperty are ordinary keys in parse_json, dynamic literals, bag_pack, bag_merge, make_bag, pack_all and mv-expand', async () => {
    const expected = JSON.parse('{"__proto__":{"a":1},"constructor":2,"hasOwnProperty":3}');
    const [[j, p, m, keys, text]] =
      await rows(`print j = parse_json('{"__proto__":{"a":1},"constructor":2,"hasOwnProperty":3}')
      | extend p = bag_set_key(bag_pack("__proto__", dynamic({"a":1}), "constructor", 2), "hasOwnProperty", 3)
      | extend m = bag_merge(j, dynamic({"__proto__":0})), keys = bag_keys(p), text = tostring(p)`);
    assert.deepEqual([j, p, m], [expected, expected, expected]);
    assert.deepEqual(keys, ['__proto__', 'constructor', 'hasOwnProperty']);
    assert.equal(text, '{"__proto__":{"a":1},"constructor":2,"hasOwnProperty":3}');
    assert.deepEqual(await rows('print d = dynamic({"__proto__":{"a":1},"constructor":2})'), [
      [JSON.parse('{"__proto__":{"a":1},"constructor":2}')],
    ]);
    assert.deepEqual(await rows('print d = dynamic({"hasOwnProperty":1}) | extend h = d.hasOwnProperty'), [
      [{ hasOwnProperty: 1 }, 1],
    ]);
    assert.deepEqual(await rows('print b = dynamic({"__proto__":{"x":1},"constructor":2}) | mv-expand b | project b'), [
      [JSON.parse('{"__proto__":{"x":1}}')],
      [{ constructor: 2 }],
    ]);
    assert.deepEqual(
      await rows('datatable(k:string)["__proto__","constructor"] | summarize b = make_bag(bag_pack(k, 1))'),
      [[JSON.parse('{"__proto__":1,"constructor":1}')]],
    );
    assert.deepEqual(
      await rows(
        'print x = parse_xml("<__proto__><a>1</a></__proto__>"), u = parse_urlquery("__proto__=1&constructor=2")',
      ),
      [
        [
          JSON.parse('{"__proto__":{"a":"1"}}'),
          { 'Query Parameters': JSON.parse('{"__proto__":"1","constructor":"2"}') },
        ],
      ],
    );
  });

  it('lake rows with prototype-named keys keep them in dynamic columns, member access and pack_all()', async () => {
    const e = lakeEngine({ 'Weird.jsonl': WEIRD_JSONL });
    assert.deepEqual(
      await rows(
        'Weird | project User, p = Bag.__proto__.polluted, c = Bag.constructor, t = Bag.toString, h = Bag.hasOwnProperty, v = Bag.valueOf',
        e,
      ),
      [
        ['a', 'yes', 'c', 't', 'h', null],
        ['b', null, null, null, null, null],
      ],
    );
    const [[all]] = await rows('Weird | where User == "a" | project pack_all()', e);
    assert.equal(
      JSON.stringify((all as Record<string, unknown>).Bag),
      '{"__proto__":{"polluted":"yes"},"constructor":"c","toString":"t","hasOwnProperty":"h"}',
    );
    assert.deepEqual(await rows('Weird | mv-expand kind=array Bag | summarize make_list(tostring(Bag[0]))', e), [
      [['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'plain']],
    ]);
    assert.deepEqual(
      await rows(
        'Weird | evaluate bag_unpack(Bag, "b_") | project User, b_constructor, b_toString, b_hasOwnProperty, b_plain',
        e,
      ),
      [
        ['a', 'c', 't', 'h', null],
        ['b', '', '', '', 1],
      ],
    );
  });

  it('columns named like Object.prototype members (hasOwnProperty and __proto__ too) work in project, search, union * and pack_all()', async () => {
    const e = lakeEngine({
      'Odd.jsonl': COLUMNS_JSONL,
      'Other.jsonl': '{"TimeGenerated":"2026-11-20T10:00:00Z","Name":"n2"}\n',
    });
    assert.deepEqual(await rows('Odd | project constructor, toString, valueOf, Name', e), [['c1', 't1', 'v1', 'n1']]);
    assert.deepEqual(await rows('search "t1" | project Name', e), [['n1']]);
    assert.deepEqual(await rows('union * | summarize count()', e), [[2]]);
    assert.deepEqual(await rows('Odd | project b = pack_all() | project b.constructor, b.Name', e), [['c1', 'n1']]);
    // the official parser's dictionaries once threw on `hasOwnProperty` and lost `__proto__`
    assert.deepEqual(await rows('Odd | project hasOwnProperty, __proto__', e), [['h1', 'p1']]);
    assert.deepEqual(await rows('search "p1" | project __proto__, hasOwnProperty', e), [['p1', 'h1']]);
    assert.deepEqual(
      await rows('union * | where isnotempty(hasOwnProperty) | summarize count() by hasOwnProperty', e),
      [['h1', 1]],
    );
    const [[all]] = await rows('Odd | project pack_all()', e);
    assert.equal(
      JSON.stringify(all),
      '{"TimeGenerated":"2026-11-20T10:00:00Z","constructor":"c1","toString":"t1","valueOf":"v1","hasOwnProperty":"h1","__proto__":"p1","Name":"n1"}',
    );
    assert.deepEqual(
      await rows(
        'Odd | extend __proto__ = 2, hasOwnProperty = bag_pack("hasOwnProperty", 1) | project __proto__, hasOwnProperty.hasOwnProperty',
        e,
      ),
      [[2, 1]],
    );
  });

  it('tables named like Object.prototype members are ordinary tables', async () => {
    const e = lakeEngine({ 'constructor.jsonl': '{"x":1}\n', 'toString.jsonl': '{"y":2}\n' });
    assert.deepEqual(await rows('constructor | project x', e), [[1]]);
    assert.deepEqual(await rows('toString | project y', e), [[2]]);
    assert.deepEqual(await rows('print valueOf = 1, hasOwnProperty = 2, __proto__ = 3', e), [[1, 2, 3]]);
  });
});
