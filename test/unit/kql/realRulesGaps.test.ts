// More constructs real Sentinel rules use: a name given inside a call, and arg_max(…, *) given a name.
import { strict as assert } from 'assert';
import { run } from './helpers';

describe('engine: more constructs of real rules', () => {
  it('a name given inside a call names the result column and keeps the value', async () => {
    const r = await run(
      'datatable(Failed:long, Total:long)[1, 4, 3, 4] | project Rate = round(toreal(Failed) / Total * 100), round(FailureRate = (toreal(Failed) / toreal(Total)) * 100, 1), strlen(S = "abc")',
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['Rate', 'FailureRate', 'strlen_S'],
    );
    assert.deepEqual(r.rows, [
      [25, 25, 3],
      [75, 75, 3],
    ]);
  });
});
