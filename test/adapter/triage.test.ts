// The triage feature against the fake vscode: the real tree providers over a real LakeBackend on a
// generated demo lake, and "Connect to Azure" against a loopback ARM server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { LakeBackend, createLakeBackend } from '../../src/core/backends/lake';
import { generateDemoLake } from '../../src/core/lake/generate';
import { templatesFor } from '../../src/core/kql/templates';
import { DEMO_USERS } from '../../src/core/lake/demoFacts';
import { silentLogger } from '../../src/core/types';
import { Commands } from '../../src/extension/commandIds';
import type { FeatureContext } from '../../src/extension/features';
import type { EntitiesTree } from '../../src/extension/triage/entitiesTree';
import { EntityNode, IncidentNode, IncidentsTree, TriageNode } from '../../src/extension/triage/incidentsTree';
import { registerTriage } from '../../src/extension/triage/register';
import { CUSTOMER_ID, FakeAzure, startFakeAzure, TOKEN, WS_ID } from '../unit/backends/azureServer';
import { fakeBackends } from './support/fakeBackends';
import { createExtensionContext, disposeContext, fake } from './support/fakeVscode';

const ROOT = path.resolve(__dirname, '..', '..');

async function labels(nodes: TriageNode[]): Promise<string[]> {
  return nodes.map((n) => String(n.getTreeItem().label));
}

describe('triage views (adapter)', function () {
  this.timeout(60000);
  let dir: string;
  let lake: LakeBackend;
  let context: ReturnType<typeof createExtensionContext>;
  let backends: ReturnType<typeof fakeBackends>;
  let incidents: IncidentsTree;
  let entities: EntitiesTree;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-triage-'));
    await generateDemoLake({ out: path.join(dir, 'lake') });
    lake = createLakeBackend(path.join(dir, 'lake'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    fake.reset();
    fake.setWorkspaceFolders(dir);
    context = createExtensionContext({ extensionPath: ROOT });
    backends = fakeBackends(lake);
    const ctx = {
      extension: context,
      log: fake.outputChannels[0],
      logger: silentLogger,
      backends,
    } as unknown as FeatureContext;
    registerTriage(ctx);
    incidents = fake.treeProviders.get('sentinelWorkbench.incidents') as IncidentsTree;
    entities = fake.treeProviders.get('sentinelWorkbench.entities') as EntitiesTree;
  });
  afterEach(() => disposeContext(context));

  it('shows the demo incidents grouped by severity, newest first, with a badge counting New ones', async () => {
    const roots = await incidents.getChildren();
    const groups = await labels(roots);
    assert.deepStrictEqual(
      groups,
      ['High', 'Medium', 'Low', 'Informational'].filter((g) => groups.includes(g)),
    );
    assert.ok(groups.length >= 3);
    const all = (await lake.listIncidents({}, { top: 100 })).incidents;
    const newCount = all.filter((i) => i.status === 'New').length;
    assert.ok(newCount > 0);
    assert.deepStrictEqual(incidents.view?.badge, { value: newCount, tooltip: `${newCount} new incidents` });
    const high = await roots[0].getChildren();
    const first = high[0] as IncidentNode;
    const item = first.getTreeItem();
    assert.match(String(item.label), /^#\d+ /);
    assert.match(String(item.description), /^(New|Active|Closed) · /);
    assert.strictEqual(item.id, `incident:${first.incident.id}`);
    assert.match(item.contextValue ?? '', /^sentinelWorkbench:incident:linked:/);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'error');
    const times = high.map((n) => Date.parse((n as IncidentNode).incident.createdTime));
    assert.deepStrictEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    // Ages follow the lake's pinned clock, not the wall clock.
    assert.ok(
      Math.abs(incidents.now().getTime() - Date.parse('2026-11-20T12:00:00Z')) < 60_000,
      incidents.now().toISOString(),
    );
  });

  it('expands an incident into its alerts and entities, with a context value per entity kind', async () => {
    await incidents.setFilter({ text: 'forwarding' });
    const roots = await incidents.getChildren();
    const node = (await roots[0].getChildren())[0] as IncidentNode;
    const sections = await node.getChildren();
    assert.deepStrictEqual(await labels(sections), ['Alerts', 'Entities']);
    const alerts = await sections[0].getChildren();
    assert.ok(alerts.length >= 1);
    const ents = (await sections[1].getChildren()) as EntityNode[];
    const account = ents.find((e) => e.entity.displayName === DEMO_USERS.compromised);
    assert.ok(account, `entities: ${ents.map((e) => e.entity.displayName).join(', ')}`);
    assert.strictEqual(account!.getTreeItem().contextValue, 'sentinelWorkbench:entity:account');
    assert.strictEqual(account!.entity.kind, 'Account');
    // Same object on the next read: refreshes keep expansion.
    await incidents.refresh();
    const again = (await (await incidents.getChildren())[0].getChildren())[0];
    assert.strictEqual(again, node);
  });

  it('filters by severity through the picker and shows the filter in the view description', async () => {
    await incidents.getChildren();
    fake.answers.quickPick.push({ field: 'severity' }, [{ label: 'High' }]);
    await fake.executeCommand(Commands.filterIncidents);
    const roots = await incidents.getChildren();
    assert.deepStrictEqual(await labels(roots), ['High']);
    assert.strictEqual(incidents.view?.description, 'Filter: High');
    fake.answers.quickPick.push({ field: 'clear' });
    await fake.executeCommand(Commands.filterIncidents);
    assert.ok((await incidents.getChildren()).length > 1);
    assert.strictEqual(incidents.view?.description, undefined);
  });

  it('pages with "Load more" until every incident is loaded', async () => {
    fake.settings.set('sentinelWorkbench.incidents.pageSize', 5);
    fake.settings.set('sentinelWorkbench.incidents.groupBy', 'none');
    await incidents.refresh();
    let roots = await incidents.getChildren();
    assert.strictEqual(roots.length, 6);
    assert.strictEqual(String(roots[5].getTreeItem().label), 'Load more…');
    assert.strictEqual(roots[5].getTreeItem().command?.command, Commands.loadMoreIncidents);
    while (incidents.hasMore) await fake.executeCommand(Commands.loadMoreIncidents);
    roots = await incidents.getChildren();
    const total = (await lake.listIncidents({}, { top: 100 })).incidents.length;
    assert.strictEqual(roots.length, total);
    assert.strictEqual(new Set(roots.map((r) => r.id)).size, total, 'ids are unique');
  });

  it('adds a comment that shows under the incident', async () => {
    const roots = await incidents.getChildren();
    const node = (await roots[0].getChildren())[0] as IncidentNode;
    fake.answers.inputBox.push('Sessions revoked; password reset.');
    await fake.executeCommand(Commands.addIncidentComment, node);
    const sections = await node.getChildren();
    const comments = sections.find((s) => String(s.getTreeItem().label) === 'Comments');
    assert.ok(comments);
    assert.deepStrictEqual(await labels(await comments!.getChildren()), ['Sessions revoked; password reset.']);
    assert.ok(fake.messages.some((m) => /Comment added to incident #/.test(m.message)));
  });

  it('lists entities of all loaded incidents by kind with incident counts, copies and baselines them', async () => {
    await incidents.getChildren();
    await fake.executeCommand(Commands.showAllEntities);
    assert.strictEqual(fake.contexts.get('sentinelWorkbench.entitiesScope'), 'all');
    const kinds = await entities.getChildren();
    const kindLabels = await labels(kinds);
    assert.strictEqual(kindLabels[0], 'Accounts');
    assert.ok(kindLabels.includes('URLs') && kindLabels.includes('IP addresses'), kindLabels.join(', '));
    const accounts = (await kinds[0].getChildren()) as EntityNode[];
    const megan = accounts.find((a) => a.entity.displayName === DEMO_USERS.compromised)!;
    assert.match(String(megan.getTreeItem().description), /^\d+ incidents?$/);
    assert.ok(megan.incidentIds.length >= 2, 'the compromised user appears in several incidents');

    await fake.executeCommand(Commands.copyEntity, megan);
    assert.strictEqual(fake.clipboard.text, DEMO_USERS.compromised);

    const opened: { language?: string; content?: string }[] = [];
    const original = vscode.workspace.openTextDocument;
    (vscode.workspace as { openTextDocument: unknown }).openTextDocument = async (o: {
      language?: string;
      content?: string;
    }) => {
      opened.push(o);
      return original(o as never);
    };
    try {
      // Several templates fit a UPN: the picker asks; answer with the first one, twice.
      const upnTemplates = templatesFor('upn');
      for (let i = 0; i < 2 && upnTemplates.length > 1; i++) fake.answers.quickPick.push({ template: upnTemplates[0] });
      const evil = {
        entity: { kind: 'Account', key: 'account:x', displayName: 'o"brien\\@contoso.com', properties: {} },
      };
      await fake.executeCommand(Commands.runEntityBaseline, megan);
      await fake.executeCommand(Commands.runEntityBaseline, evil);
    } finally {
      (vscode.workspace as { openTextDocument: unknown }).openTextDocument = original;
    }
    assert.strictEqual(opened.length, 2, fake.messages.map((m) => m.message).join('; '));
    assert.strictEqual(opened[0].language, 'kql');
    assert.match(opened[0].content ?? '', new RegExp(`"${DEMO_USERS.compromised.replace(/\./g, '\\.')}"`));
    assert.ok(!(opened[1]?.content ?? '').includes('"o"brien'), 'the value is an escaped literal');
  });

  it('connects to Azure through tenant → subscription → Sentinel workspace and switches the backend', async () => {
    const arm: FakeAzure = await startFakeAzure();
    const saved = process.env.SWB_ACCESS_TOKEN;
    process.env.SWB_ACCESS_TOKEN = TOKEN;
    try {
      fake.settings.set('sentinelWorkbench.development.useAccessTokenFromEnvironment', true);
      fake.settings.set('sentinelWorkbench.azure.armEndpoint', arm.url);
      fake.settings.set('sentinelWorkbench.azure.logsEndpoint', `${arm.url}/v1`);
      fake.answers.quickPick.push(
        { tenantId: 'tttttttt-0000-0000-0000-000000000001' },
        { resourceId: WS_ID, label: 'soc-ws' },
      );
      await fake.executeCommand(Commands.connectAzure);
      assert.deepStrictEqual(
        fake.messages.filter((m) => m.level === 'error'),
        [],
      );
      assert.strictEqual(fake.settings.get('sentinelWorkbench.azure.workspaceResourceId'), WS_ID);
      assert.strictEqual(fake.settings.get('sentinelWorkbench.azure.tenantId'), 'tttttttt-0000-0000-0000-000000000001');
      assert.strictEqual(fake.settings.get('sentinelWorkbench.backend'), 'azure');
      assert.ok(backends.resets >= 1);
      const status = fake.statusBarItems.find((s) => s.text.includes('Sentinel:'));
      assert.strictEqual(status?.text, '$(azure) Sentinel: soc-ws');

      // The tree now lists the workspace's incidents through ARM.
      await incidents.whenLoaded();
      await incidents.refresh();
      const roots = await incidents.getChildren();
      const numbers = (await Promise.all(roots.map((r) => r.getChildren())))
        .flat()
        .map((n) => (n as IncidentNode).incident?.number)
        .filter(Boolean);
      assert.deepStrictEqual([...numbers].sort(), [1, 2, 3, 4, 5]);
      const backend = await backends.current();
      assert.strictEqual(backend.kind, 'azure');
      const result = await backend.runQuery('SigninLogs | take 1');
      assert.strictEqual(result.rows.length, 2);
      assert.ok(arm.requests.some((r) => r.path === `/v1/workspaces/${CUSTOMER_ID}/query`));
      await backend.dispose();

      await fake.executeCommand(Commands.useLocalLake);
      assert.strictEqual(fake.settings.get('sentinelWorkbench.backend'), 'local');
    } finally {
      if (saved === undefined) delete process.env.SWB_ACCESS_TOKEN;
      else process.env.SWB_ACCESS_TOKEN = saved;
      await arm.close();
    }
  });
});
