// Working an incident in the editor against the fake vscode: the incident page (one per incident, typed
// messages, restorable), assign / close on a real lake with the tree and badge following, Markdown comments
// in the tree, and a conflicting change against a loopback ARM server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AzureBackend } from '../../src/core/backends/azure/backend';
import { endpointsFromEnv } from '../../src/core/backends/azure/config';
import { staticTokenCredential } from '../../src/core/backends/azure/credentials';
import { createLakeBackend, LakeBackend } from '../../src/core/backends/lake';
import { verdictToMarkdown } from '../../src/core/analyzer/markdown';
import { generateDemoLake } from '../../src/core/lake/generate';
import { silentLogger } from '../../src/core/types';
import { Commands } from '../../src/extension/commandIds';
import type { FeatureContext } from '../../src/extension/features';
import { CommentNode, IncidentNode, IncidentsTree, TriageNode } from '../../src/extension/triage/incidentsTree';
import { INCIDENT_VIEW_TYPE } from '../../src/extension/triage/incidentPage';
import { registerTriage } from '../../src/extension/triage/register';
import type { HostToIncident, IncidentView } from '../../src/webview/_incidentProtocol';
import { renderIncident } from '../../src/webview/_incidentRender';
import { result, userRequest } from '../unit/analyzer-client/fixtures';
import { FakeAzure, startFakeAzure, TOKEN, WS_ID } from '../unit/backends/azureServer';
import { createExtensionContext, disposeContext, fake, FakeWebviewPanel } from './support/fakeVscode';
import { fakeBackends } from './support/fakeBackends';

const ROOT = path.resolve(__dirname, '..', '..');

function shown(panel: FakeWebviewPanel): IncidentView | undefined {
  const views = (panel.webview.posted as HostToIncident[]).filter((m) => m.type === 'show') as Extract<
    HostToIncident,
    { type: 'show' }
  >[];
  return views[views.length - 1]?.view;
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = read();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function incidentNodes(tree: IncidentsTree): Promise<IncidentNode[]> {
  const roots = await tree.getChildren();
  const nested = await Promise.all(
    roots.map(async (r) => (r instanceof IncidentNode ? [r] : ((await r.getChildren()) as TriageNode[]))),
  );
  return nested.flat().filter((n): n is IncidentNode => n instanceof IncidentNode);
}

describe('incident page and incident actions (adapter)', function () {
  this.timeout(60000);
  let dir: string;
  let lake: LakeBackend;
  let context: ReturnType<typeof createExtensionContext>;
  let backends: ReturnType<typeof fakeBackends>;
  let incidents: IncidentsTree;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-incident-page-'));
    await generateDemoLake({ out: path.join(dir, 'lake') });
    lake = createLakeBackend(path.join(dir, 'lake'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    fake.reset();
    fake.setWorkspaceFolders(dir);
    fake.settings.set('sentinelWorkbench.incidents.myName', 'analyst@contoso.com');
    fake.settings.set('sentinelWorkbench.incidents.groupBy', 'status');
    context = createExtensionContext({ extensionPath: ROOT });
    backends = fakeBackends(lake);
    registerTriage({
      extension: context,
      log: fake.outputChannels[0],
      logger: silentLogger,
      backends,
    } as unknown as FeatureContext);
    incidents = fake.treeProviders.get('sentinelWorkbench.incidents') as IncidentsTree;
  });
  afterEach(() => disposeContext(context));

  it('a click on an incident opens one page per incident, reused, with a strict CSP and the whole incident', async () => {
    const node = (await incidentNodes(incidents))[0];
    const command = node.getTreeItem().command!;
    assert.strictEqual(command.command, Commands.openIncident);
    await fake.executeCommand(command.command, ...(command.arguments ?? []));
    await fake.executeCommand(command.command, ...(command.arguments ?? []));
    const panels = fake.webviewPanels.filter((p) => p.viewType === INCIDENT_VIEW_TYPE);
    assert.strictEqual(panels.length, 1, 'reused');
    const panel = panels[0];
    assert.match(panel.webview.html, /default-src 'none'/);
    assert.match(panel.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    panel.receive({ type: 'ready' });
    const view = await until(() => shown(panel), 'the incident');
    assert.strictEqual(view.details.incident.id, node.incident.id);
    assert.ok(view.details.alerts.length >= 1 && view.details.entities.length >= 1);
    assert.strictEqual(
      panel.title,
      `#${node.incident.number} ${node.incident.title}`.slice(0, 41).replace(/(.{40}).+/, '$1…'),
    );
    // Unloaded behind another tab, the page says ready again and gets the incident again.
    const shows = () => panel.webview.posted.filter((m) => (m as HostToIncident).type === 'show').length;
    const before = shows();
    panel.receive({ type: 'ready' });
    await until(() => (shows() > before ? true : undefined), 'the incident again');
    // The serializer restores a page from its saved state (the id), fetching the data again.
    const serializer = fake.registrations.find(
      (r) => r.kind === 'webviewPanelSerializer' && r.args[0] === INCIDENT_VIEW_TYPE,
    );
    assert.ok(serializer, 'a serializer is registered');
  });

  it('assign to me and close with a classification: the lake records it, the tree, badge and page follow', async () => {
    const before = (await incidentNodes(incidents)).find((n) => n.incident.status === 'New')!;
    const badgeBefore = (incidents.view?.badge as { value: number }).value;
    await fake.executeCommand(Commands.openIncident, { incidentId: before.incident.id });
    const panel = fake.webviewPanels.find((p) => p.viewType === INCIDENT_VIEW_TYPE)!;
    panel.receive({ type: 'ready' });
    await until(() => shown(panel), 'the incident');

    panel.receive({ type: 'action', action: 'assignToMe' });
    const assigned = await until(
      () => (shown(panel)?.details.incident.owner === 'analyst@contoso.com' ? shown(panel) : undefined),
      'the owner',
    );
    assert.strictEqual(assigned.details.incident.status, 'Active', 'taking a New incident makes it Active');
    const node = (await incidentNodes(incidents)).find((n) => n.incident.id === before.incident.id)!;
    assert.match(String(node.getTreeItem().description), /^Active · analyst@contoso\.com/);
    assert.strictEqual((incidents.view?.badge as { value: number } | undefined)?.value ?? 0, badgeBefore - 1);

    fake.answers.quickPick.push({
      label: 'False positive — Inaccurate data',
      close: { classification: 'FalsePositive', reason: 'InaccurateData' },
    });
    fake.answers.inputBox.push('Test tenant traffic.');
    await fake.executeCommand(Commands.closeIncident, node);
    const stored = (await createLakeBackend(path.join(dir, 'lake')).getIncident(before.incident.id)).incident;
    assert.deepStrictEqual(
      [stored.status, stored.classification, stored.classificationReason, stored.classificationComment],
      ['Closed', 'FalsePositive', 'InaccurateData', 'Test tenant traffic.'],
    );
    // Grouped by status: the incident moved to the Closed group.
    const closedGroup = (await incidents.getChildren()).find((g) => String(g.getTreeItem().label) === 'Closed')!;
    assert.ok((await closedGroup.getChildren()).some((n) => (n as IncidentNode).incident.id === before.incident.id));
    await until(() => (shown(panel)?.details.incident.status === 'Closed' ? true : undefined), 'the page to follow');
    const html = renderIncident(shown(panel)!);
    assert.match(html, /FalsePositive · InaccurateData/);
    assert.match(html, /data-action="reopen" class=""/, 'Reopen is the one primary button of a closed incident');
  });

  it('refuses to close without a classification reason and writes nothing', async () => {
    const node = (await incidentNodes(incidents)).find((n) => n.incident.status !== 'Closed')!;
    const file = path.join(dir, 'lake', 'SecurityIncident.jsonl');
    const size = fs.statSync(file).size;
    fake.answers.quickPick.push({ label: 'True positive', close: { classification: 'TruePositive' } });
    fake.answers.inputBox.push('');
    await fake.executeCommand(Commands.closeIncident, node);
    assert.ok(
      fake.messages.some(
        (m) => m.level === 'error' && /needs a classification reason: SuspiciousActivity/.test(m.message),
      ),
      JSON.stringify(fake.messages),
    );
    assert.strictEqual(fs.statSync(file).size, size);
  });

  it('comments show as plain first lines in the tree; a verdict comment becomes a badge on the page', async () => {
    const node = (await incidentNodes(incidents))[0];
    const verdict = verdictToMarkdown(
      result(userRequest('megan.bowen@contoso.com'), Date.parse('2026-01-15T12:00:00Z')),
      { now: Date.now() },
    );
    await fake.executeCommand(Commands.openIncident, { incidentId: node.incident.id });
    const panel = fake.webviewPanels.find((p) => p.viewType === INCIDENT_VIEW_TYPE)!;
    panel.receive({ type: 'ready' });
    await until(() => shown(panel), 'the incident');
    panel.receive({ type: 'comment', text: verdict });
    const view = await until(() => (shown(panel)?.verdicts.length ? shown(panel) : undefined), 'the verdict badge');
    assert.strictEqual(view.verdicts[0].entity, 'megan.bowen@contoso.com');
    assert.ok(panel.webview.posted.some((m) => (m as HostToIncident).type === 'commentAdded'));
    const sections = await node.getChildren();
    const comments = await sections.find((s) => String(s.getTreeItem().label) === 'Comments')!.getChildren();
    const item = (comments[comments.length - 1] as CommentNode).getTreeItem();
    assert.match(String(item.label), /^Entity Analyzer: \S.* \(\w+ confidence\)$/);
    assert.ok(!String(item.label).includes('#') && !String(item.label).includes('**'), String(item.label));
    assert.match(String(item.description), /\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  });

  it("on Azure, a change racing another analyst's shows their change and applies mine on top when asked", async () => {
    const arm: FakeAzure = await startFakeAzure();
    try {
      const azure = new AzureBackend({
        workspaceResourceId: WS_ID,
        credential: staticTokenCredential(TOKEN),
        endpoints: endpointsFromEnv({ SWB_ARM_ENDPOINT: arm.url, SWB_LOGS_ENDPOINT: `${arm.url}/v1` }),
      });
      fake.settings.set('sentinelWorkbench.backend', 'azure');
      backends.azure = Promise.resolve(azure);
      const id = '00000004-aaaa-bbbb-cccc-dddddddddddd';
      await fake.executeCommand(Commands.openIncident, { incidentId: id });
      const panel = fake.webviewPanels.find((p) => p.viewType === INCIDENT_VIEW_TYPE)!;
      panel.receive({ type: 'ready' });
      await until(() => shown(panel), 'the incident');
      arm.changeIncident(id, { owner: { userPrincipalName: 'carol@contoso.com', assignedTo: 'Carol' } });
      fake.answers.quickPick.push({ label: 'High' });
      fake.answers.message.push('Apply My Change Again');
      panel.receive({ type: 'action', action: 'severity' });
      const after = await until(
        () => (shown(panel)?.details.incident.severity === 'High' ? shown(panel) : undefined),
        'my change',
      );
      assert.strictEqual(after.details.incident.owner, 'carol@contoso.com', 'their change is kept');
      const warning = fake.messages.find((m) => m.level === 'warning');
      assert.match(
        warning?.message ?? '',
        /Someone else changed incident #4 since you opened it: owner — → carol@contoso\.com/,
      );
      const puts = arm.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/incidents/${id}`));
      assert.strictEqual(puts.length, 1, 'the stale version was never written');
      assert.strictEqual(puts[0].ifMatch, '"2"');
    } finally {
      await arm.close();
    }
  });
});
