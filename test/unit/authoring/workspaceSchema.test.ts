// The workspace schema the language server checks queries against when connected: queries, parsing, budget.
import * as assert from 'assert';
import {
  fetchWorkspaceSchema,
  schemaFromResult,
  schemaQuery,
  SCHEMA_BATCH,
  TABLE_NAMES_QUERY,
  tableNamesFromResult,
} from '../../../src/core/kql/workspaceSchema';
import type { QueryResult } from '../../../src/core/types';

const stats = { rowsScanned: 0, rowsReturned: 0, elapsedMs: 1, truncated: false };
const result = (columns: string[], rows: unknown[][]): QueryResult => ({
  columns: columns.map((name) => ({ name, type: 'string' })),
  rows,
  stats,
});

describe('workspace schema', () => {
  it('turns getschema rows into table → columns in column order, with KQL types', () => {
    const schema = schemaFromResult(
      result(
        ['_Table', 'ColumnName', 'ColumnOrdinal', 'ColumnType'],
        [
          ['MyApp_CL', 'Computer', 1, 'string'],
          ['MyApp_CL', 'TimeGenerated', 0, 'datetime'],
          ['MyApp_CL', 'Latency_d', 2, 'real'],
          ['MyApp_CL', 'Props_s', 3, 'weird'],
          ['Other_CL', 'Count_d', 0, 'long'],
          ['bad name', 'X', 0, 'string'],
          ['Other_CL', null, 1, 'string'],
        ],
      ),
    );
    assert.deepStrictEqual(schema, {
      MyApp_CL: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Computer', type: 'string' },
        { name: 'Latency_d', type: 'real' },
        { name: 'Props_s', type: 'dynamic' },
      ],
      Other_CL: [{ name: 'Count_d', type: 'long' }],
    });
  });

  it('reads .NET DataType names when ColumnType is missing', () => {
    const schema = schemaFromResult(
      result(
        ['TableName', 'ColumnName', 'DataType'],
        [
          ['T', 'A', 'System.Int64'],
          ['T', 'B', 'System.Boolean'],
          ['T', 'C', 'System.Object'],
          ['T', 'D', 'System.Guid'],
        ],
      ),
    );
    assert.deepStrictEqual(
      schema.T!.map((c) => c.type),
      ['long', 'bool', 'dynamic', 'guid'],
    );
  });

  it('refuses a result that is not getschema-shaped', () => {
    assert.throws(() => schemaFromResult(result(['Foo', 'Bar'], [])), /Not a getschema result \(columns: Foo, Bar\)/);
  });

  it('keeps only plain identifiers from the table-name query, de-duplicated', () => {
    const names = tableNamesFromResult(
      result(
        ['_Table'],
        [['SigninLogs'], ['MyApp_CL'], ['MyApp_CL'], ["x'] | take 1 //"], ["workspace('w').T"], [null], ['']],
      ),
    );
    assert.deepStrictEqual(names, ['MyApp_CL', 'SigninLogs']);
  });

  it('builds a getschema union per table and refuses names that could change the query', () => {
    const q = schemaQuery(['MyApp_CL', 'SigninLogs']);
    assert.match(q, /^union \(\['MyApp_CL'\] \| getschema \| extend _Table = 'MyApp_CL'\),/);
    assert.match(q, /\(\['SigninLogs'\] \| getschema \| extend _Table = 'SigninLogs'\)/);
    assert.throws(() => schemaQuery(["T'] | take 100000 //"]), /Not a table name/);
  });

  it('fetches names over the last day, then columns in batches, and keeps going when one batch fails', async () => {
    const tables = Array.from({ length: SCHEMA_BATCH + 3 }, (_, i) => `T${String(i).padStart(2, '0')}_CL`);
    const calls: { query: string; hours: number }[] = [];
    const warnings: string[] = [];
    const now = new Date('2026-01-02T00:00:00Z');
    const schema = await fetchWorkspaceSchema(
      async (query, { timeRange }) => {
        calls.push({ query, hours: (timeRange.end.getTime() - timeRange.start.getTime()) / 3600_000 });
        if (query === TABLE_NAMES_QUERY)
          return result(
            ['_Table'],
            tables.map((t) => [t]),
          );
        if (query.includes("'T00_CL'")) throw new Error('boom');
        const legs = [...query.matchAll(/extend _Table = '(\w+)'/g)].map((m) => m[1]!);
        return result(
          ['_Table', 'ColumnName', 'ColumnType'],
          legs.map((t) => [t, 'Value_d', 'real']),
        );
      },
      { now, onWarning: (m) => warnings.push(m) },
    );
    assert.strictEqual(calls.length, 3);
    assert.ok(calls.every((c) => c.hours === 24));
    assert.deepStrictEqual(Object.keys(schema).sort(), tables.slice(SCHEMA_BATCH).sort());
    assert.deepStrictEqual(schema[tables[SCHEMA_BATCH]!], [{ name: 'Value_d', type: 'real' }]);
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0]!, /columns of 50 tables not read: boom/);
  });

  it('gives up after its time budget, cancelling the running query', async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    await assert.rejects(
      fetchWorkspaceSchema(
        (_q, { signal }) => {
          seen = signal;
          return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
        { timeoutMs: 50 },
      ),
      /longer than 50 ms/,
    );
    assert.ok(seen?.aborted);
    assert.ok(Date.now() - started < 2000);
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    const pending = fetchWorkspaceSchema(
      (_q, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('cancelled')));
        }),
      { signal: controller.signal },
    );
    controller.abort();
    await assert.rejects(pending, /cancelled/);
  });
});
