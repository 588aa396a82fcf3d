// The KQL language server over real stdio: diagnostics, completion and hover from the Kusto language service.
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

const root = path.join(__dirname, '..', '..', '..');

describe('KQL language server', function () {
  this.timeout(30000);
  let child: ChildProcess;
  let conn: MessageConnection;
  const diagnostics = new Map<string, any[]>();
  const uri = 'file:///work/hunt.kql';

  before(async () => {
    child = spawn(
      process.execPath,
      ['-r', 'tsx/cjs', path.join(root, 'src/server/kql-language-server.ts'), '--stdio'],
      { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: any) => diagnostics.set(p.uri, p.diagnostics));
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: {},
    });
    conn.sendNotification('initialized', {});
  });

  after(() => {
    conn?.dispose();
    child?.kill();
  });

  const open = (text: string, version = 1, at = uri) => {
    diagnostics.delete(at);
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri: at, languageId: 'kql', version, text } });
  };
  const waitForDiagnostics = async (at = uri) => {
    for (let i = 0; i < 200 && !diagnostics.has(at); i++) await new Promise((r) => setTimeout(r, 25));
    return diagnostics.get(at) ?? assert.fail('no diagnostics published');
  };

  it('reports a positioned error for malformed KQL, and none for a good query with its let parameter', async () => {
    const text =
      'let TargetUpn = "megan.bowen@contoso.com";\n\nSigninLogs\n| where UserPrincipalName == TargetUpn\n| take 5\n\nSigninLogs\n| where UnknownColumn == 1\n| summarize count() by';
    open(text);
    const diags = await waitForDiagnostics();
    assert.ok(diags.length >= 1, 'expected diagnostics');
    const unknown = diags.find((d: any) => /UnknownColumn/.test(d.message));
    assert.ok(unknown, JSON.stringify(diags));
    assert.strictEqual(unknown.range.start.line, 7);
    assert.strictEqual(unknown.range.start.character, 8);
    assert.ok(
      diags.every((d: any) => d.range.start.line >= 6),
      'the first block (let + query) must be clean',
    );
    conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('completes column names of the table in scope', async () => {
    const text = 'SigninLogs\n| where User';
    open(text, 2);
    const items: any[] = await conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 1, character: 12 },
    });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('UserPrincipalName'), labels.slice(0, 20).join(','));
    assert.ok(labels.includes('IPAddress'));
    conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('hovers describe symbols and leave diagnostics to the editor, which already shows them', async () => {
    const at = 'file:///work/hover.kql';
    open('NoSuchTable\n| take 1\n\nSigninLogs\n| where UserPrincipalName != ""', 1, at);
    const diags = await waitForDiagnostics(at);
    assert.ok(diags.some((d: any) => /NoSuchTable/.test(d.message)));
    const onError: any = await conn.sendRequest('textDocument/hover', {
      textDocument: { uri: at },
      position: { line: 0, character: 3 },
    });
    assert.ok(!onError || !/NoSuchTable/.test(onError.contents.value), JSON.stringify(onError));
    const onColumn: any = await conn.sendRequest('textDocument/hover', {
      textDocument: { uri: at },
      position: { line: 4, character: 12 },
    });
    assert.match(onColumn.contents.value, /^```kql\n.*UserPrincipalName: string/s);
    conn.sendNotification('textDocument/didClose', { textDocument: { uri: at } });
  });

  it("checks and completes against the connected workspace's tables once they are sent, and forgets them on a backend change", async () => {
    const custom = 'file:///work/custom.kql';
    const text = 'MyApp_CL\n| where Latency_d > 100\n| project Computer, TimeGenerated';
    open(text, 1, custom);
    const before = await waitForDiagnostics(custom);
    assert.ok(
      before.some((d: any) => /MyApp_CL/.test(d.message)),
      `expected an unknown-table error first: ${JSON.stringify(before)}`,
    );

    diagnostics.delete(custom);
    conn.sendNotification('sentinelWorkbench/schema', {
      tables: {
        MyApp_CL: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Computer', type: 'string' },
          { name: 'Latency_d', type: 'real' },
        ],
        "bad'] | take 1": [{ name: 'X', type: 'string' }],
      },
    });
    const after = await waitForDiagnostics(custom);
    assert.deepStrictEqual(after, [], JSON.stringify(after));

    const items: any[] = await conn.sendRequest('textDocument/completion', {
      textDocument: { uri: custom },
      position: { line: 1, character: 10 },
    });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('Latency_d'), labels.slice(0, 20).join(','));
    const hover: any = await conn.sendRequest('textDocument/hover', {
      textDocument: { uri: custom },
      position: { line: 1, character: 10 },
    });
    assert.match(hover.contents.value, /Latency_d: real/);

    diagnostics.delete(custom);
    conn.sendNotification('sentinelWorkbench/backendChanged', {});
    const local = await waitForDiagnostics(custom);
    assert.ok(
      local.some((d: any) => /MyApp_CL/.test(d.message)),
      JSON.stringify(local),
    );
    conn.sendNotification('textDocument/didClose', { textDocument: { uri: custom } });
  });

  it('checks each file against its own query target: advanced hunting (Timestamp) for one, an ADX database for another, the workspace for the rest', async () => {
    const hunt = 'file:///work/hunt-ah.kql';
    const archive = 'file:///work/archive.kql';
    const plain = 'file:///work/plain.kql';
    const text = 'DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where NoSuchColumn == 1';
    const adxText = 'ArchivedSignins\n| where Account == "x"\n| join (SigninLogs | take 1) on Account';
    conn.sendNotification('sentinelWorkbench/documentTarget', {
      uri: hunt,
      target: {
        id: 'defender',
        only: false,
        tables: {
          DeviceProcessEvents: [
            { name: 'Timestamp', type: 'datetime' },
            { name: 'DeviceName', type: 'string' },
          ],
        },
      },
    });
    conn.sendNotification('sentinelWorkbench/documentTarget', {
      uri: archive,
      target: {
        id: 'kusto:https://c/SecurityArchive',
        only: true,
        tables: {
          ArchivedSignins: [
            { name: 'Timestamp', type: 'datetime' },
            { name: 'Account', type: 'string' },
          ],
        },
      },
    });
    open(text, 1, hunt);
    open(adxText, 1, archive);
    open(text, 1, plain);
    const ah = await waitForDiagnostics(hunt);
    assert.deepStrictEqual(
      ah.map((d: any) => [d.range.start.line, /NoSuchColumn/.test(d.message)]),
      [[2, true]],
      JSON.stringify(ah),
    );
    const adx = await waitForDiagnostics(archive);
    assert.ok(
      adx.some((d: any) => /SigninLogs/.test(d.message)),
      `SigninLogs is not in the ADX database: ${JSON.stringify(adx)}`,
    );
    assert.ok(!adx.some((d: any) => d.range.start.line < 2), JSON.stringify(adx));
    const ws = await waitForDiagnostics(plain);
    assert.ok(
      ws.some((d: any) => d.range.start.line === 2 && /NoSuchColumn/.test(d.message)),
      JSON.stringify(ws),
    );
    const items: any[] = await conn.sendRequest('textDocument/completion', {
      textDocument: { uri: archive },
      position: { line: 1, character: 10 },
    });
    assert.ok(
      items.some((i) => i.label === 'Account'),
      items
        .slice(0, 20)
        .map((i) => i.label)
        .join(','),
    );

    // Back to the workspace: the ADX file's SigninLogs is known again, ArchivedSignins is not.
    diagnostics.delete(archive);
    conn.sendNotification('sentinelWorkbench/documentTarget', { uri: archive, target: null });
    const back = await waitForDiagnostics(archive);
    assert.ok(
      back.some((d: any) => /ArchivedSignins/.test(d.message)),
      JSON.stringify(back),
    );
    for (const u of [hunt, archive, plain])
      conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  });

  it('shows the type of a column on hover', async () => {
    open('SigninLogs\n| where TimeGenerated > ago(1d)', 3);
    const hover: any = await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 10 },
    });
    assert.match(hover.contents.value, /TimeGenerated: datetime/);
    conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });
});
