// The KQL language client's workspace schema: read through the Azure backend once per workspace, sent to the
// server, never read for the local lake, and failures go to the log only.
import * as assert from 'assert';
import type { SentinelBackend } from '../../src/core/backends/types';
import type { QueryResult } from '../../src/core/types';
import { updateWorkspaceSchema } from '../../src/extension/authoring/languageClient';
import { fake } from './support/fakeVscode';

const stats = { rowsScanned: 0, rowsReturned: 0, elapsedMs: 1, truncated: false };

function workspace(label: string, fail = false) {
  const queries: string[] = [];
  const backend = {
    kind: 'azure',
    label,
    async runQuery(query: string): Promise<QueryResult> {
      queries.push(query);
      if (fail) throw new Error('403 Forbidden');
      if (query.startsWith('union withsource=_Table')) {
        return { columns: [{ name: '_Table', type: 'string' }], rows: [['MyApp_CL'], ['SigninLogs']], stats };
      }
      return {
        columns: ['_Table', 'ColumnName', 'ColumnOrdinal', 'ColumnType'].map((name) => ({
          name,
          type: 'string' as const,
        })),
        rows: [
          ['MyApp_CL', 'TimeGenerated', 0, 'datetime'],
          ['MyApp_CL', 'Latency_d', 1, 'real'],
          ['SigninLogs', 'UserPrincipalName', 0, 'string'],
        ],
        stats,
      };
    },
  } as unknown as SentinelBackend;
  return { backend, queries };
}

function harness(kind: 'local' | 'azure', backend: SentinelBackend) {
  const logs: { level: string; message: string }[] = [];
  const log = (level: string) => (message: string | Error) => logs.push({ level, message: String(message) });
  const ctx = {
    backends: { kind, current: async () => backend } as any,
    logger: { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
  const sent: { method: string; params: any }[] = [];
  const client = { sendNotification: async (method: any, params?: any) => void sent.push({ method, params }) } as any;
  return { ctx, client, sent, logs };
}

describe('KQL language client: workspace schema', () => {
  beforeEach(() => fake.reset());

  it('reads the Azure workspace tables once per workspace and sends them to the server', async () => {
    const ws = workspace('Azure: contoso-soc');
    const h = harness('azure', ws.backend);
    await updateWorkspaceSchema(h.ctx, h.client);
    assert.strictEqual(h.sent.length, 1);
    assert.strictEqual(h.sent[0]!.method, 'sentinelWorkbench/schema');
    assert.deepStrictEqual(h.sent[0]!.params.tables.MyApp_CL, [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Latency_d', type: 'real' },
    ]);
    assert.strictEqual(ws.queries.length, 2);

    await updateWorkspaceSchema(h.ctx, h.client);
    assert.strictEqual(h.sent.length, 2, 'sent again after a backend change');
    assert.strictEqual(ws.queries.length, 2, 'but not read again for the same workspace');
  });

  it('does nothing for the local lake', async () => {
    const ws = workspace('local demo lake');
    const h = harness('local', ws.backend);
    await updateWorkspaceSchema(h.ctx, h.client);
    assert.deepStrictEqual(h.sent, []);
    assert.deepStrictEqual(ws.queries, []);
  });

  it('logs a failure without showing it, and tries again next time', async () => {
    const ws = workspace('Azure: locked-down', true);
    const h = harness('azure', ws.backend);
    await updateWorkspaceSchema(h.ctx, h.client);
    assert.deepStrictEqual(h.sent, []);
    assert.ok(
      h.logs.some((l) => l.level === 'warn' && /could not read the workspace's tables.*403 Forbidden/.test(l.message)),
      JSON.stringify(h.logs),
    );
    assert.deepStrictEqual(fake.messages, []);
    await updateWorkspaceSchema(h.ctx, h.client);
    assert.strictEqual(ws.queries.length, 2);
  });
});
