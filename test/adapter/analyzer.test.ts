// The Entity Analyzer's VS Code layer against the fake vscode and a scripted backend: command → verdict
// panel (CSP, ready handshake, typed messages), the Analyses view, cache hits, incident batches, comments,
// the MCP server definitions and the selection context key.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AnalysisPoll, AnalysisRequest } from '../../src/core/analyzer/types';
import type { IncidentDetails, SentinelBackend } from '../../src/core/backends/types';
import { silentLogger } from '../../src/core/types';
import { Commands } from '../../src/extension/commandIds';
import type { AnalysesTree } from '../../src/extension/analyzer/analysesView';
import { registerAnalyzer } from '../../src/extension/analyzer/register';
import { registerMcpServers } from '../../src/extension/analyzer/mcpProvider';
import { createExtensionContext, disposeContext, fake, FakeWebviewPanel } from './support/fakeVscode';

const ROOT = path.resolve(__dirname, '..', '..');
const LAKE_NOW = '2026-01-15T12:00:00.000Z';

function makeBackend() {
  const calls = {
    starts: [] as AnalysisRequest[],
    comments: [] as { id: string; message: string }[],
    queries: [] as string[],
  };
  const backend: Partial<SentinelBackend> & { calls: typeof calls } = {
    kind: 'local',
    label: 'local demo lake',
    calls,
    runQuery: async (q: string) => {
      calls.queries.push(q);
      // The incidents whose alerts name the entity: inc-1 only.
      if (/Entities has/.test(q))
        return {
          columns: [{ name: 'IncidentName', type: 'string' }],
          rows: [['inc-1']],
          stats: { rowsScanned: 0, rowsReturned: 1, elapsedMs: 0, truncated: false },
        };
      return { columns: [], rows: [], stats: { rowsScanned: 0, rowsReturned: 0, elapsedMs: 0, truncated: false } };
    },
    // The lake's pinned clock.
    now: async () => new Date(LAKE_NOW),
    startEntityAnalysis: async (request: AnalysisRequest) => {
      calls.starts.push(request);
      return { analysisId: `an-${calls.starts.length}` };
    },
    getEntityAnalysis: async (analysisId: string): Promise<AnalysisPoll> => {
      const req = calls.starts[Number(analysisId.slice(3)) - 1];
      const user = req.entity.type === 'User';
      return {
        status: 'completed',
        analysisId,
        result: {
          analysisId,
          entity: req.entity,
          verdict: user ? 'Compromised' : 'Malicious',
          confidence: 'High',
          summary: 'Password spray then success from a new country. <img src=x onerror=alert(1)>',
          narrative: 'See [the run book](javascript:alert(1)) <script>alert(2)</script>',
          evidence: [
            {
              title: 'Password spray',
              table: 'SigninLogs',
              query: 'SigninLogs\n| where ResultType == "50126"',
              rows: [{ IPAddress: '203.0.113.7' }],
            },
          ],
          recommendations: ['Revoke sessions'],
          missingTables: [],
          disclaimer: null,
          window: { startTime: req.startTime, endTime: req.endTime },
          source: 'local',
          completedAt: LAKE_NOW,
          expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        },
      };
    },
    listIncidents: async () => ({
      incidents: [
        {
          id: 'inc-1',
          number: 1,
          title: 'Other',
          severity: 'Low',
          status: 'New',
          createdTime: LAKE_NOW,
          alertsCount: 1,
          tactics: [],
          relatedAnalyticRuleIds: [],
        },
        {
          id: 'inc-7',
          number: 7,
          title: 'Password spray',
          severity: 'High',
          status: 'New',
          createdTime: LAKE_NOW,
          alertsCount: 2,
          tactics: [],
          relatedAnalyticRuleIds: [],
        },
      ],
    }),
    getIncident: async (id: string): Promise<IncidentDetails> => ({
      incident: {
        id,
        number: 7,
        title: 'Password spray',
        severity: 'High',
        status: 'New',
        createdTime: LAKE_NOW,
        alertsCount: 2,
        tactics: [],
        relatedAnalyticRuleIds: [],
      },
      alerts: [],
      entities: [
        {
          kind: 'Account',
          key: 'account:megan',
          displayName: 'Megan Bowen',
          properties: { accountName: 'megan.bowen', upnSuffix: 'contoso.com' },
        },
        { kind: 'Account', key: 'account:alex', displayName: 'alex.wilber@contoso.com', properties: {} },
        { kind: 'Url', key: 'url:x', displayName: 'hxxps://contoso-login[.]com/auth', properties: {} },
        { kind: 'Ip', key: 'ip:1', displayName: '203.0.113.7', properties: {} },
      ],
    }),
    addIncidentComment: async (id: string, message: string) => void calls.comments.push({ id, message }),
  };
  return backend;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Entity Analyzer in VS Code (adapter)', () => {
  let context: ReturnType<typeof createExtensionContext>;
  let backend: ReturnType<typeof makeBackend>;
  let incidentEvents: unknown[] = [];

  beforeEach(() => {
    fake.reset();
    fake.setWorkspaceFolders(path.join(ROOT, 'sample'));
    context = createExtensionContext({ extensionPath: ROOT });
    backend = makeBackend();
    incidentEvents = [];
    const backends = {
      kind: 'local',
      label: 'local demo lake',
      current: async () => backend as SentinelBackend,
      lakeDir: () => '/tmp/lake',
      onDidChange: () => ({ dispose() {} }),
      incidentChanged: (e: unknown) => incidentEvents.push(e),
    };
    const channel = vscode.window.createOutputChannel('test', { log: true });
    registerAnalyzer({ extension: context, log: channel, logger: silentLogger, backends: backends as never });
  });

  afterEach(() => disposeContext(context));

  const verdictPanel = (): FakeWebviewPanel => {
    const p = fake.webviewPanels.find((x) => x.viewType === 'sentinelWorkbench.verdict');
    assert.ok(p, 'verdict panel opened');
    return p;
  };

  it('analyzes a CodeLens target on the lake clock and shows the verdict in a locked-down panel', async () => {
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'Megan.Bowen@contoso.com', lookbackDays: 3 });
    assert.strictEqual(backend.calls.starts.length, 1);
    const req = backend.calls.starts[0];
    assert.deepStrictEqual(req.entity, { type: 'User', id: 'megan.bowen@contoso.com' });
    assert.strictEqual(req.endTime, LAKE_NOW, "the window ends at the lake's pinned now");
    assert.strictEqual(Date.parse(req.endTime) - Date.parse(req.startTime), 3 * 86400_000);

    const panel = verdictPanel();
    const html = panel.webview.html;
    assert.match(html, /default-src 'none'/);
    const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    for (const tag of html.match(/<script[^>]*>/g) ?? [])
      assert.ok(tag.includes(`nonce="${nonce}"`), `script without nonce: ${tag}`);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(html));
    assert.ok(!/<img src=x|<script>alert/.test(html), 'server text never lands in the page markup unescaped');
    const roots = (panel.webview.options as { localResourceRoots: { path: string }[] }).localResourceRoots.map((u) =>
      path.relative(ROOT, u.path),
    );
    assert.deepStrictEqual(roots.sort(), ['dist/webview', 'media']);

    // Messages wait for the page's ready.
    assert.strictEqual(panel.webview.posted.length, 0);
    panel.receive({ type: 'ready' });
    assert.strictEqual(
      (panel.webview.posted[0] as { type: string; result: { verdict: string } }).result.verdict,
      'Compromised',
    );

    // The Analyses view lists the job with its verdict.
    const tree = fake.treeProviders.get('sentinelWorkbench.analyses') as vscode.TreeDataProvider<unknown>;
    const nodes = (await tree.getChildren()) as unknown[];
    assert.strictEqual(nodes.length, 1);
    const item = (await tree.getTreeItem(nodes[0])) as vscode.TreeItem;
    assert.strictEqual(item.label, 'megan.bowen@contoso.com');
    assert.match(String(item.description), /^Compromised · /);
    assert.strictEqual(item.contextValue, 'sentinelWorkbench:analysis:completed');
  });

  it('answers a second request within the hour from the cache without a new run', async () => {
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'megan.bowen@contoso.com', lookbackDays: 7 });
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'megan.bowen@contoso.com', lookbackDays: 7 });
    assert.strictEqual(backend.calls.starts.length, 1);
    assert.ok(
      fake.messages.some((m) => /cached verdict/.test(m.message)),
      fake.messages.map((m) => m.message).join('\n'),
    );
    const panel = verdictPanel();
    panel.receive({ type: 'ready' });
    const last = panel.webview.posted[panel.webview.posted.length - 1] as { meta: { fromCache: boolean } };
    assert.strictEqual(last.meta.fromCache, true);
  });

  it('refuses an 8-day user window and an IP entity with a clear message', async () => {
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'megan.bowen@contoso.com', lookbackDays: 8 });
    await fake.executeCommand(Commands.analyzeEntity, {
      entity: { kind: 'Ip', key: 'ip:1', displayName: '10.0.0.1', properties: {} },
    });
    const errors = fake.messages.filter((m) => m.level === 'error').map((m) => m.message);
    assert.ok(
      errors.some((m) => /at most 7 days/.test(m)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((m) => /accounts and URLs/.test(m)),
      errors.join('\n'),
    );
    assert.strictEqual(backend.calls.starts.length, 0);
  });

  it('evidence "Open query" opens a read-only KQL document named after the evidence; "Run" hands it to runQuery when registered', async () => {
    const opened: { language?: string; content?: string }[] = [];
    const original = vscode.workspace.openTextDocument;
    const provider = fake.registrations.find(
      (r) => r.kind === 'textDocumentContentProvider' && r.args[0] === 'sentinelworkbench-evidence',
    )?.args[1] as vscode.TextDocumentContentProvider;
    assert.ok(provider, 'evidence documents come from a content provider (read-only: closing never asks to save)');
    (vscode.workspace as { openTextDocument: unknown }).openTextDocument = async (uri: vscode.Uri) => {
      opened.push({
        language: uri.path.endsWith('.kql') ? 'kql' : undefined,
        content: String(provider.provideTextDocumentContent(uri, new vscode.CancellationTokenSource().token)),
        name: uri.path,
      } as never);
      return {} as vscode.TextDocument;
    };
    try {
      await fake.executeCommand(Commands.analyzeEntity, {
        type: 'Url',
        id: 'hxxps://contoso-login[.]com/auth',
        lookbackDays: 7,
      });
      const panel = verdictPanel();
      panel.receive({ type: 'ready' });
      panel.receive({ type: 'openQuery', index: 0 });
      await until(() => opened.length === 1, 'open query');
      assert.strictEqual(opened[0].language, 'kql');
      assert.strictEqual((opened[0] as { name?: string }).name, '/Evidence - Password spray.kql');
      assert.match(opened[0].content ?? '', /SigninLogs\n\| where ResultType == "50126"/);
      // runQuery is not registered in this test: Run falls back to opening the query.
      panel.receive({ type: 'runQuery', index: 0 });
      await until(() => opened.length === 2, 'run falls back to open');
      const seen: unknown[] = [];
      fake.commands.set(Commands.runQuery, (arg: unknown) => void seen.push(arg));
      panel.receive({ type: 'runQuery', index: 0 });
      await until(() => seen.length === 1, 'runQuery');
      assert.deepStrictEqual(seen[0], {
        query: 'SigninLogs\n| where ResultType == "50126"',
        title: 'Evidence: Password spray',
      });
      panel.receive({ type: 'openQuery', index: 99 });
      await new Promise((r) => setTimeout(r, 20));
      assert.strictEqual(opened.length, 2, 'an out-of-range index from the page is ignored');
    } finally {
      (vscode.workspace as { openTextDocument: unknown }).openTextDocument = original;
    }
  });

  it('adds the verdict as an incident comment, preselecting the incident it came from', async () => {
    await fake.executeCommand(Commands.analyzeEntity, {
      type: 'User',
      id: 'megan.bowen@contoso.com',
      lookbackDays: 7,
      incidentId: 'inc-7',
    });
    const panel = verdictPanel();
    panel.receive({ type: 'ready' });
    const choices: unknown[] = [];
    const original = vscode.window.showQuickPick;
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: { incident: { id: string } }[]) => {
      choices.push(items.map((i) => i.incident.id));
      return items[0];
    };
    try {
      panel.receive({ type: 'addComment' });
      await until(() => backend.calls.comments.length === 1, 'comment');
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
    }
    assert.deepStrictEqual(choices[0], ['inc-7', 'inc-1']);
    // The tree and an open incident page hear about the new comment.
    await until(() => incidentEvents.length === 1, 'the incident change event');
    assert.deepStrictEqual(incidentEvents, [{ incidentId: 'inc-7', comments: true }]);
    const c = backend.calls.comments[0];
    assert.strictEqual(c.id, 'inc-7');
    assert.match(c.message, /Entity Analyzer: Compromised \(High confidence\)/);
    assert.ok(!/<img|<script/.test(c.message));
    panel.receive({ type: 'copyMarkdown' });
    await until(() => fake.clipboard.text.includes('Compromised'), 'clipboard');
    assert.match(fake.clipboard.text, /```kusto/);
  });

  it('"Add as incident comment" lists first the incidents that contain the entity', async () => {
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'megan.bowen@contoso.com', lookbackDays: 7 });
    const panel = verdictPanel();
    panel.receive({ type: 'ready' });
    const choices: { id: string; description: string }[][] = [];
    const original = vscode.window.showQuickPick;
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (
      items: { incident: { id: string }; description: string }[],
    ) => {
      choices.push(items.map((i) => ({ id: i.incident.id, description: i.description })));
      return undefined;
    };
    try {
      panel.receive({ type: 'addComment' });
      await until(() => choices.length === 1, 'the picker');
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
    }
    assert.deepStrictEqual(
      choices[0].map((c) => c.id),
      ['inc-1', 'inc-7'],
      'inc-1 names the entity; the listing had it second',
    );
    assert.match(choices[0][0].description, /contains megan\.bowen@contoso\.com/);
    assert.ok(backend.calls.queries.some((q) => q.includes("Entities has 'megan.bowen@contoso.com'")));
  });

  it('the Analyses view shows each window and redraws only rows whose text changed', async () => {
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'megan.bowen@contoso.com', lookbackDays: 7 });
    await fake.executeCommand(Commands.analyzeEntity, { type: 'User', id: 'megan.bowen@contoso.com', lookbackDays: 2 });
    const tree = fake.treeProviders.get('sentinelWorkbench.analyses') as AnalysesTree;
    const nodes = tree.getChildren();
    assert.strictEqual(nodes.length, 2);
    const items = nodes.map((n) => tree.getTreeItem(n));
    const descriptions = items.map((i) => String(i.description));
    assert.ok(
      descriptions.some((d) => / · 7d to \d{4}-\d\d-\d\d \d\d:\d\d UTC · /.test(d)),
      descriptions.join(' | '),
    );
    assert.ok(
      descriptions.some((d) => / · 2d to /.test(d)),
      descriptions.join(' | '),
    );
    // The click carries the job id, never the node object a redraw replaces.
    assert.deepStrictEqual(items[0].command?.arguments, [{ jobId: nodes[0].job.id }]);
    const redrawn: unknown[] = [];
    const sub = tree.onDidChangeTreeData((e) => redrawn.push(e));
    try {
      assert.deepStrictEqual(tree.tick(), [], 'nothing changed: nothing redrawn');
      const later = tree.tick(Date.now() + 2 * 3600_000);
      assert.strictEqual(later.length, 2, 'both ages changed');
      assert.ok(Array.isArray(redrawn[0]), 'the rows, not the whole tree');
    } finally {
      sub.dispose();
    }
  });

  it('queues the accounts and URLs of an incident and summarises', async () => {
    await fake.executeCommand(Commands.analyzeIncidentEntities, 'inc-7');
    await until(() => backend.calls.starts.length === 3, 'three runs');
    assert.deepStrictEqual(backend.calls.starts.map((r) => r.entity.id).sort(), [
      'alex.wilber@contoso.com',
      'https://contoso-login.com/auth',
      'megan.bowen@contoso.com',
    ]);
    const summary = fake.messages.find((m) => /incident #7/.test(m.message));
    assert.ok(summary, fake.messages.map((m) => m.message).join('\n'));
    assert.match(summary.message, /3 entities — 3 queued/);
  });

  it('offers the local MCP server (stdio) when VS Code has the MCP provider API', async () => {
    const registered: { id: string; provider: { provideMcpServerDefinitions(): unknown[] } }[] = [];
    const v: Record<string, unknown> = {};
    v.lm = {
      registerMcpServerDefinitionProvider: (id: string, provider: never) => (
        registered.push({ id, provider }),
        { dispose() {} }
      ),
    };
    v.McpStdioServerDefinition = class {
      constructor(
        readonly label: string,
        readonly command: string,
        readonly args: string[],
        readonly env: Record<string, string>,
      ) {}
    };
    {
      assert.strictEqual(
        registerMcpServers(context, {} as never, silentLogger, {} as never),
        false,
        'VS Code 1.100: no MCP API, nothing registered',
      );
      const ok = registerMcpServers(
        context,
        { kind: 'local', lakeDir: () => '/data/lake', onDidChange: () => ({ dispose() {} }) } as never,
        silentLogger,
        v as never,
      );
      assert.strictEqual(ok, true);
      assert.strictEqual(registered[0].id, 'sentinelWorkbench.mcpServers');
      const defs = registered[0].provider.provideMcpServerDefinitions() as { command: string; args: string[] }[];
      assert.strictEqual(defs.length, 1);
      assert.deepStrictEqual(defs[0].args.slice(-2), ['--lake', '/data/lake']);
      assert.match(defs[0].args[0], /dist[/\\]mcp-server\.js$/);
      // VS Code 1.100's pre-release API throws for a manifest it does not like: activation must go on.
      const throwing = {
        lm: {
          registerMcpServerDefinitionProvider: () => {
            throw new Error('must be registered in contributes.modelContextServerCollections');
          },
        },
        McpStdioServerDefinition: class {},
      };
      assert.strictEqual(
        registerMcpServers(
          context,
          { onDidChange: () => ({ dispose() {} }) } as never,
          silentLogger,
          throwing as never,
        ),
        false,
      );
    }
  });

  it('offers the Sentinel MCP server to agents only over https (the bearer token goes there)', async () => {
    const registered: { provideMcpServerDefinitions(): unknown[] }[] = [];
    const v: Record<string, unknown> = {
      lm: {
        registerMcpServerDefinitionProvider: (_id: string, provider: never) => (
          registered.push(provider),
          { dispose() {} }
        ),
      },
      McpStdioServerDefinition: class {},
      McpHttpServerDefinition: class {
        constructor(
          readonly label: string,
          readonly uri: vscode.Uri,
          readonly headers: Record<string, string> = {},
        ) {}
      },
    };
    registerMcpServers(
      context,
      { kind: 'azure', lakeDir: () => undefined, onDidChange: () => ({ dispose() {} }) } as never,
      silentLogger,
      v as never,
    );
    const httpDefs = () => (registered[0].provideMcpServerDefinitions() as { uri?: vscode.Uri }[]).filter((d) => d.uri);
    fake.settings.set('sentinelWorkbench.azure.sentinelMcpUrl', 'https://sentinel.microsoft.com/mcp/data-exploration');
    assert.strictEqual(httpDefs().length, 1);
    fake.settings.set('sentinelWorkbench.azure.sentinelMcpUrl', 'http://mcp.example.net/mcp');
    assert.strictEqual(httpDefs().length, 0, 'a plain-http remote URL would carry the token in clear text');
    fake.settings.set('sentinelWorkbench.azure.sentinelMcpUrl', 'http://127.0.0.1:8123/mcp');
    assert.strictEqual(httpDefs().length, 1, 'loopback test servers stay allowed');

    // Signing in for it uses the configured provider (sovereign clouds), not always the public cloud's.
    fake.settings.set('sentinelWorkbench.azure.authProvider', 'microsoft-sovereign-cloud');
    const auth = vscode.authentication as unknown as { getSession: (...a: unknown[]) => Promise<unknown> };
    const original = auth.getSession;
    const asked: unknown[] = [];
    auth.getSession = async (providerId: unknown) => (asked.push(providerId), { accessToken: 'tok' });
    try {
      const resolve = (
        registered[0] as unknown as {
          resolveMcpServerDefinition(s: unknown): Promise<{ uri: vscode.Uri; headers: Record<string, string> }>;
        }
      ).resolveMcpServerDefinition;
      const server = await resolve({ label: 'Microsoft Sentinel (data exploration)', headers: {} });
      assert.strictEqual(asked[0], 'microsoft-sovereign-cloud');
      // Agents talk to the loopback proxy with its secret; the Azure token never sits in the definition.
      assert.match(server.uri.toString(), /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      assert.match(server.headers.Authorization, /^Bearer [A-Za-z0-9_-]{40,}$/);
      assert.notStrictEqual(server.headers.Authorization, 'Bearer tok');
    } finally {
      auth.getSession = original;
      fake.settings.set('sentinelWorkbench.azure.authProvider', undefined);
      fake.settings.set('sentinelWorkbench.azure.sentinelMcpUrl', undefined);
    }
  });
});
