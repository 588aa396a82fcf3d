// `sort | take n` and `top n` keep only the first rows while sorting: the same rows, in the same order, as a
// full sort (ties in row order, nulls where the sort puts them).
import { strict as assert } from 'assert';
import { rows } from './helpers';

describe('engine: first rows of a sort', function () {
  this.timeout(60_000);
  let s = 11;
  const r = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const cells: string[] = [];
  for (let i = 0; i < 400; i++)
    cells.push(`"k${Math.floor(r() * 30)}", ${r() < 0.1 ? 'long(null)' : Math.floor(r() * 20)}, ${i}`);
  const data = `let D = datatable(K:string, V:long, I:long)[${cells.join(', ')}];`;
  const orders = ['V desc, K asc', 'V asc nulls first, K desc', 'K asc', 'V desc'];
  for (const order of orders) {
    for (const n of [0, 1, 7, 99, 500]) {
      it(`sort by ${order} | take ${n}`, async () => {
        const fast = await rows(`${data}\nD | sort by ${order} | take ${n}`);
        // an extend between sort and take makes the take see a sorted table: the full sort, then its first rows
        const full = await rows(`${data}\nD | sort by ${order} | extend Full = 1 | take ${n} | project-away Full`);
        assert.deepEqual(fast, full);
        assert.equal(fast.length, Math.min(n, 400));
      });
    }
  }
  it('top n by one key matches the full sort', async () => {
    for (const n of [3, 50]) {
      assert.deepEqual(
        await rows(`${data}\nD | top ${n} by V desc`),
        await rows(`${data}\nD | sort by V desc | extend F = 1 | take ${n} | project-away F`),
      );
    }
  });
});
