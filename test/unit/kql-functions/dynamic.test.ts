import { strict as assert } from 'assert';
import { call, dt } from './helpers';

const DY = 'dynamic' as const;

describe('kql functions: arrays, sets and bags', () => {
  it('array_length/array_concat/array_slice give null for non-arrays', () => {
    assert.equal(call('array_length', [[1, 2, 3, 'four']], [DY], 'long'), 4);
    assert.equal(call('array_length', ['x'], [DY], 'long'), null);
    assert.deepEqual(call('array_concat', [[1, 2], [3]], [DY, DY]), [1, 2, 3]);
    assert.equal(call('array_concat', [[1], null], [DY, DY]), null);
    assert.deepEqual(call('array_slice', [[1, 2, 3], 1, 2], [DY, 'long', 'long']), [2, 3]);
    assert.deepEqual(call('array_slice', [[1, 2, 3, 4, 5], 2, -1], [DY, 'long', 'long']), [3, 4, 5]);
    assert.deepEqual(call('array_slice', [[1, 2, 3, 4, 5], -3, -2], [DY, 'long', 'long']), [3, 4]);
    assert.deepEqual(call('array_slice', [[1, 2], 5, 9], [DY, 'long', 'long']), []);
  });

  it('array_sort_asc/desc put nulls last unless told otherwise, and reorder companion arrays', () => {
    const colours = [null, 'blue', 'yellow', 'green', null];
    assert.deepEqual(call('array_sort_asc', [colours], [DY]), ['blue', 'green', 'yellow', null, null]);
    assert.deepEqual(call('array_sort_asc', [colours, false], [DY, 'bool']), [null, null, 'blue', 'green', 'yellow']);
    assert.deepEqual(call('array_sort_desc', [colours], [DY]), ['yellow', 'green', 'blue', null, null]);
    assert.deepEqual(
      call(
        'array_sort_asc',
        [
          [1, 3, 4, 5, 2],
          ['a', 'b', 'c', 'd', 'e'],
        ],
        [DY, DY],
      ),
      [
        [1, 2, 3, 4, 5],
        ['a', 'e', 'b', 'c', 'd'],
      ],
    );
    assert.deepEqual(call('array_sort_asc', [[10, 9, 100]], [DY]), [9, 10, 100]);
  });

  it('array_index_of, rotate, shift, split, sum, reverse, iff', () => {
    const arr = ['this', 'is', 'an', 'example', 'an', 'example'];
    const idx = (...a: unknown[]) =>
      call('array_index_of', [arr, ...a], [DY, 'string', 'long', 'long', 'long'], 'long');
    assert.deepEqual(
      [idx('an'), idx('example', 1, 3), idx('example', 1, 2), idx('an', 1, -1, 2), idx('an', 1, -1, 3), idx('an', -3)],
      [2, 3, -1, 4, -1, 4],
    );
    assert.deepEqual(call('array_rotate_left', [[1, 2, 3, 4, 5], 2], [DY, 'long']), [3, 4, 5, 1, 2]);
    assert.deepEqual(call('array_rotate_right', [[1, 2, 3, 4, 5], -2], [DY, 'long']), [3, 4, 5, 1, 2]);
    assert.deepEqual(call('array_shift_left', [[1, 2, 3, 4, 5], 2], [DY, 'long']), [3, 4, 5, null, null]);
    assert.deepEqual(call('array_shift_right', [[1, 2, 3, 4, 5], 2, -1], [DY, 'long', 'long']), [-1, -1, 1, 2, 3]);
    assert.deepEqual(
      call(
        'array_split',
        [
          [1, 2, 3, 4, 5],
          [1, 3],
        ],
        [DY, DY],
      ),
      [[1], [2, 3], [4, 5]],
    );
    assert.equal(call('array_sum', [[1, 2, 3, 4]], [DY], 'real'), 10);
    assert.deepEqual(call('array_reverse', [['a', 'b']], [DY]), ['b', 'a']);
    assert.deepEqual(
      call(
        'array_iff',
        [
          [true, false, true],
          [1, 2, 3],
          [4, 5, 6],
        ],
        [DY, DY, DY],
      ),
      [1, 5, 3],
    );
    assert.deepEqual(
      call(
        'array_iff',
        [
          [true, true, true],
          [1, 2],
          [3, 4],
        ],
        [DY, DY, DY],
      ),
      [1, 2, null],
    );
  });

  it('set functions are distinct and compare by value', () => {
    assert.equal(call('set_has_element', [['a', 1], 1], [DY, 'long'], 'bool'), true);
    assert.equal(call('set_has_element', [['a', 1], 'b'], [DY, 'string'], 'bool'), false);
    assert.deepEqual(
      call(
        'set_union',
        [
          [1, 2, 2],
          [2, 3],
        ],
        [DY, DY],
      ),
      [1, 2, 3],
    );
    assert.deepEqual(
      call(
        'set_intersect',
        [
          [1, 2, 3],
          [3, 2, 9],
        ],
        [DY, DY],
      ),
      [2, 3],
    );
    assert.deepEqual(call('set_difference', [[1, 2, 3], [2]], [DY, DY]), [1, 3]);
    assert.equal(call('set_union', [[1], 'x'], [DY, DY]), null);
  });

  it('pack/bag_pack/pack_array store datetimes as Kusto prints them in dynamic values', () => {
    assert.deepEqual(call('pack', ['a', 1, 'b', dt('2020-01-01')], ['string', 'long', 'string', 'datetime']), {
      a: 1,
      b: '2020-01-01T00:00:00.0000000Z',
    });
    assert.deepEqual(call('bag_pack', ['k', null], ['string', 'long']), { k: null });
    assert.deepEqual(call('pack_array', [1, 'x', null], ['long', 'string', 'long']), [1, 'x', null]);
  });

  it('bag_keys, bag_merge (first wins), bag_remove_keys and bag_set_key with paths', () => {
    assert.deepEqual(call('bag_keys', [{ a: 'b', c: 123 }], [DY]), ['a', 'c']);
    assert.equal(call('bag_keys', [[1]], [DY]), null);
    assert.deepEqual(
      call(
        'bag_merge',
        [
          { A1: 12, B1: 2 },
          { A2: 81, A1: 1 },
        ],
        [DY, DY],
      ),
      { A1: 12, B1: 2, A2: 81 },
    );
    const bag = { key1: 123, key2: { prop1: 'abc', prop2: 'xyz' }, key3: [100, 200] };
    assert.deepEqual(call('bag_remove_keys', [bag, ['$.key2.prop1', 'key3']], [DY, DY]), {
      key1: 123,
      key2: { prop2: 'xyz' },
    });
    assert.deepEqual(bag.key2, { prop1: 'abc', prop2: 'xyz' }, 'input is not mutated');
    assert.deepEqual(call('bag_set_key', [{ key1: 123 }, '$.key2.prop1', 'abc'], [DY, 'string', 'string']), {
      key1: 123,
      key2: { prop1: 'abc' },
    });
    assert.equal(call('bag_has_key', [bag, '$.key2.prop1'], [DY, 'string'], 'bool'), true);
    assert.equal(call('bag_has_key', [bag, 'nope'], [DY, 'string'], 'bool'), false);
  });

  it('bag_zip, zip and scalar range', () => {
    assert.deepEqual(
      call(
        'bag_zip',
        [
          ['a', 'b', 'c'],
          [1, '2'],
        ],
        [DY, DY],
      ),
      { a: 1, b: '2', c: null },
    );
    assert.deepEqual(
      call(
        'bag_zip',
        [
          ['a', 8, 'b'],
          [1, '2', 2.5],
        ],
        [DY, DY],
      ),
      { a: 1, b: 2.5 },
    );
    assert.deepEqual(
      call(
        'zip',
        [
          [1, 2, 3],
          ['one', 'two'],
        ],
        [DY, DY],
      ),
      [
        [1, 'one'],
        [2, 'two'],
        [3, null],
      ],
    );
    assert.deepEqual(call('range', [1, 8, 3], ['long', 'long', 'long']), [1, 4, 7]);
    assert.deepEqual(call('range', [3600e6, 3 * 3600e6], ['timespan', 'timespan']), [
      '01:00:00',
      '02:00:00',
      '03:00:00',
    ]);
    assert.equal(call('range', [1, 5, 0], ['long', 'long', 'long']), null);
  });
});
