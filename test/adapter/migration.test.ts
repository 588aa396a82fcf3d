// The migration checklist host against the fake vscode: command → panel, typed messages → state in
// workspaceState, live checks on an injected backend, runbook export, status bar deadline, restore.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  createExtensionContext,
  disposeContext,
  fake,
  FakeWebviewPanel,
  Uri,
  window,
  workspace,
} from './support/fakeVscode';
import { registerMigration } from '../../src/extension/migration/register';
import { STATE_KEY } from '../../src/extension/migration/store';
import { DUPLICATE_INCIDENTS_QUERY } from '../../src/core/migration/checklist';
import type { FeatureContext } from '../../src/extension/features';
import type { QueryResult } from '../../src/core/types';
import type { HostToChecklist } from '../../src/webview/_checklistProtocol';

const FIXTURES = path.join(__dirname, '..', 'unit', 'migration', 'fixtures');

function result(columns: string[], rows: unknown[][]): QueryResult {
  return {
    columns: columns.map((name) => ({ name, type: 'string' })),
    rows,
    stats: { rowsScanned: 0, rowsReturned: rows.length, elapsedMs: 1, truncated: false },
  };
}

function featureContext(extension: any, queries: string[]): FeatureContext {
  const log = { info() {}, warn() {}, error() {}, debug() {}, trace() {} } as any;
  const backend = {
    kind: 'local',
    label: 'local demo lake',
    runQuery: async (q: string) => {
      queries.push(q);
      if (q === DUPLICATE_INCIDENTS_QUERY)
        return result(['Title', 'IncidentCount'], [['Password spray against many accounts', 3]]);
      if (q.startsWith('DataConnectorsBeforeCutover'))
        return result(
          ['TimeGenerated', 'ConnectorId', 'Kind', 'Name', 'State'],
          [['2026-01-01T00:00:00Z', 'AzureActiveDirectory', 'AzureActiveDirectory', 'Microsoft Entra ID', 'Connected']],
        );
      if (q.startsWith('DataConnectors'))
        return result(
          ['TimeGenerated', 'ConnectorId', 'Kind', 'Name', 'State'],
          [
            ['2026-01-02T00:00:00Z', 'AzureActiveDirectory', 'AzureActiveDirectory', 'Microsoft Entra ID', 'Connected'],
            [
              '2026-01-02T00:00:00Z',
              'MicrosoftDefenderAdvancedThreatProtection',
              'MicrosoftDefenderAdvancedThreatProtection',
              'Microsoft Defender for Endpoint',
              'Connected',
            ],
          ],
        );
      throw new Error(`unexpected query ${q}`);
    },
  };
  return {
    extension,
    log,
    logger: log,
    backends: { label: 'local demo lake', kind: 'local', current: async () => backend } as any,
  };
}

const states = (panel: FakeWebviewPanel) =>
  (panel.webview.posted as HostToChecklist[]).filter((m) => m.type === 'state');
const lastState = (panel: FakeWebviewPanel) => {
  const all = states(panel);
  const last = all[all.length - 1];
  assert.ok(last && last.type === 'state');
  return last.snapshot.state;
};
const settle = () => new Promise((r) => setTimeout(r, 20));
/** Polls until `check` passes (3 s at most). */
async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('migration checklist host (fake vscode)', () => {
  let extension: any;
  let queries: string[];
  let out: string;
  const originalFindFiles = workspace.findFiles;

  beforeEach(() => {
    fake.reset();
    fake.setWorkspaceFolders(FIXTURES);
    extension = createExtensionContext();
    queries = [];
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-migration-'));
    (workspace as any).findFiles = async () => {
      const walk = (d: string): string[] =>
        fs
          .readdirSync(d, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
      return walk(FIXTURES)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .map((f) => Uri.file(f));
    };
  });

  afterEach(() => {
    disposeContext(extension);
    (workspace as any).findFiles = originalFindFiles;
    fs.rmSync(out, { recursive: true, force: true });
  });

  async function open(): Promise<FakeWebviewPanel> {
    registerMigration(featureContext(extension, queries));
    await fake.executeCommand('sentinelWorkbench.openMigrationChecklist');
    const panel = fake.webviewPanels[fake.webviewPanels.length - 1];
    assert.ok(panel, `a webview panel opened (${JSON.stringify(fake.messages)})`);
    return panel;
  }

  it('opens a locked-down panel and queues state until the page is ready', async () => {
    const panel = await open();
    assert.strictEqual(panel.viewType, 'sentinelWorkbench.checklist');
    assert.match(panel.webview.html, /default-src 'none'/);
    assert.match(panel.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.match(panel.webview.html, /dist\/webview\/checklist\.js/);
    const roots = (panel.webview.options as { localResourceRoots: Uri[] }).localResourceRoots.map((u) => u.fsPath);
    assert.deepStrictEqual(
      roots.map((r) => path.relative(extension.extensionPath, r)),
      ['media', path.join('dist', 'webview')],
    );
    assert.strictEqual(panel.webview.posted.length, 0, 'nothing is posted before ready');
    panel.receive({ type: 'ready' });
    await settle();
    assert.strictEqual(states(panel).length, 1);
    assert.ok(
      fake.registrations.some(
        (r) => r.kind === 'webviewPanelSerializer' && r.args[0] === 'sentinelWorkbench.checklist',
      ),
    );
  });

  it('sends the current state when the page says ready, and again when it reloads behind a tab', async () => {
    const panel = await open();
    // A check finishes while the page is still loading: what the page gets first already has its result.
    panel.receive({ type: 'runCheck', checkId: 'duplicateIncidents' });
    await until(() => queries.includes(DUPLICATE_INCIDENTS_QUERY), 'the check query');
    // The result is recorded, then the running flag is cleared: wait for both rather than a fixed time.
    await until(() => Boolean(extension.workspaceState.get(STATE_KEY)?.checks?.duplicateIncidents), 'the check result');
    await settle();
    assert.strictEqual(panel.webview.posted.length, 0, 'nothing is posted before ready');
    panel.receive({ type: 'ready' });
    await settle();
    const first = panel.webview.posted[0] as HostToChecklist;
    assert.ok(
      first.type === 'state' && first.snapshot.state.checks.duplicateIncidents,
      JSON.stringify(first).slice(0, 200),
    );
    assert.strictEqual(states(panel).length, 1, 'one state, no stale copy queued before it');
    assert.ok((panel.webview.posted as HostToChecklist[]).some((m) => m.type === 'running' && !m.running));
    panel.receive({ type: 'ready' });
    await settle();
    assert.strictEqual(states(panel).length, 2);
    assert.ok(lastState(panel).checks.duplicateIncidents);
  });

  it('keeps ticks, notes and the cutover in workspaceState and shows the next deadline in the status bar', async () => {
    const panel = await open();
    panel.receive({ type: 'ready' });
    panel.receive({ type: 'setDone', itemId: 'pre.communicate', done: true });
    panel.receive({ type: 'setNote', itemId: 'pre.communicate', note: 'SOC told on Monday' });
    const cutover = new Date(Date.now() + 30 * 60_000).toISOString();
    panel.receive({ type: 'setCutover', cutover });
    await settle();
    const stored = extension.workspaceState.get(STATE_KEY);
    assert.strictEqual(stored.items['pre.communicate'].done, true);
    assert.strictEqual(stored.items['pre.communicate'].note, 'SOC told on Monday');
    assert.strictEqual(stored.cutover, cutover);
    assert.strictEqual(lastState(panel).items['pre.communicate'].done, true);
    const item = fake.statusBarItems.find((i) => i.id === 'sentinelWorkbench.migrationDeadline')!;
    assert.strictEqual(item.visible, true);
    // Pre-migration items were due a week before a cutover that is 30 minutes away: overdue first.
    assert.match(item.text, /Capture the data connector inventory: overdue by 6 d 23 h/);
    assert.strictEqual(item.command, 'sentinelWorkbench.openMigrationChecklist');

    // A reload: the extension starts again over the same workspaceState; the serializer restores the panel.
    const memento = extension.workspaceState;
    disposeContext(extension);
    fake.reset();
    fake.setWorkspaceFolders(FIXTURES);
    extension = createExtensionContext();
    extension.workspaceState = memento;
    registerMigration(featureContext(extension, queries));
    const serializer = fake.registrations.find((r) => r.kind === 'webviewPanelSerializer')!.args[1] as {
      deserializeWebviewPanel(p: unknown, s: unknown): Promise<void>;
    };
    const restored = window.createWebviewPanel(
      'sentinelWorkbench.checklist',
      'Migration Checklist',
    ) as FakeWebviewPanel;
    await serializer.deserializeWebviewPanel(restored, undefined);
    restored.receive({ type: 'ready' });
    await settle();
    assert.strictEqual(lastState(restored).items['pre.communicate'].done, true);
    assert.ok(fake.statusBarItems.find((i) => i.id === 'sentinelWorkbench.migrationDeadline')!.visible);
  });

  it('recovers the newest state from the storage mirror when workspaceState lost the last change', async () => {
    const panel = await open();
    panel.receive({ type: 'ready' });
    panel.receive({ type: 'setDone', itemId: 'pre.communicate', done: true });
    await until(
      () => extension.workspaceState.get(STATE_KEY)?.items?.['pre.communicate']?.done === true,
      'the tick saved',
    );
    const older = extension.workspaceState.get(STATE_KEY);
    await new Promise((r) => setTimeout(r, 5));
    panel.receive({ type: 'setDone', itemId: 'post.feedback', done: true });
    await until(() => lastState(panel).items['post.feedback']?.done === true, 'the second tick');
    await settle();
    // The reload happens before workspaceState reached the disk: it still holds the older state.
    const storageUri = extension.storageUri;
    disposeContext(extension);
    fake.reset();
    fake.setWorkspaceFolders(FIXTURES);
    extension = createExtensionContext();
    extension.storageUri = storageUri;
    await extension.workspaceState.update(STATE_KEY, older);
    registerMigration(featureContext(extension, queries));
    await fake.executeCommand('sentinelWorkbench.openMigrationChecklist');
    const reopened = fake.webviewPanels[fake.webviewPanels.length - 1];
    reopened.receive({ type: 'ready' });
    await until(() => states(reopened).length > 0, 'the state');
    assert.strictEqual(lastState(reopened).items['pre.communicate'].done, true);
    assert.strictEqual(lastState(reopened).items['post.feedback']?.done, true);
  });

  it('runs the live checks on the active backend and the workspace rule files', async () => {
    const panel = await open();
    panel.receive({ type: 'ready' });
    panel.receive({ type: 'runCheck', checkId: 'duplicateIncidents' });
    panel.receive({ type: 'runCheck', checkId: 'connectors' });
    panel.receive({ type: 'runCheck', checkId: 'ruleTitles' });
    panel.receive({ type: 'runCheck', checkId: 'automation' });
    await until(() => Object.keys(lastState(panel).checks).length === 4, 'four check results');
    assert.ok(queries.includes(DUPLICATE_INCIDENTS_QUERY));
    const s = lastState(panel);
    const dup = s.checks.duplicateIncidents!;
    assert.strictEqual(
      dup.checkId === 'duplicateIncidents' && dup.data?.rows[0].title,
      'Password spray against many accounts',
    );
    const con = s.checks.connectors!;
    assert.deepStrictEqual(
      con.checkId === 'connectors' && con.data?.appeared.map((a) => [a.connectorId, a.autoEnable]),
      [['MicrosoftDefenderAdvancedThreatProtection', 'yes']],
    );
    const titles = s.checks.ruleTitles!;
    assert.ok(titles.checkId === 'ruleTitles' && titles.data);
    assert.strictEqual(titles.data.report.duplicateTitles[0].title, 'High_CredentialAccess_T1110');
    assert.deepStrictEqual(
      titles.data.report.errors.map((e) => e.file),
      ['rules/broken.yaml'],
    );
    const auto = s.checks.automation!;
    assert.strictEqual(auto.summary, '1 automation rule to recreate or validate');
    const running = (panel.webview.posted as HostToChecklist[]).filter((m) => m.type === 'running');
    assert.ok(
      running.some((m) => m.type === 'running' && m.running) && running.some((m) => m.type === 'running' && !m.running),
    );
  });

  it('refuses to read rule files in an untrusted workspace, and exports the runbook through the save dialog', async () => {
    fake.isTrusted = false;
    const panel = await open();
    panel.receive({ type: 'ready' });
    panel.receive({ type: 'runCheck', checkId: 'ruleTitles' });
    await until(() => !!lastState(panel).checks.ruleTitles, 'the rule audit result');
    const run = lastState(panel).checks.ruleTitles!;
    assert.strictEqual(run.status, 'error');
    assert.match(run.error!, /untrusted workspace/);

    const target = path.join(out, 'runbook.md');
    fake.answers.saveDialog.push(Uri.file(target));
    panel.receive({ type: 'setDone', itemId: 'cutover.connectors', done: true });
    panel.receive({ type: 'exportRunbook' });
    await until(() => fs.existsSync(target), 'the runbook file');
    await settle();
    const md = fs.readFileSync(target, 'utf8');
    assert.match(md, /^# Sentinel → Defender portal migration runbook/);
    assert.match(md, /- \[x\] \*\*Audit connectors that auto-enabled\*\*/);
    assert.match(md, /### Analytics rule title audit\n\nRan .*: \*\*error\*\*/);
    assert.match(md, /## Timeline/);
  });

  it('opens rule files only inside the workspace', async () => {
    const panel = await open();
    panel.receive({ type: 'ready' });
    panel.receive({ type: 'openFile', file: '../../../../etc/passwd', line: 1 });
    await until(() => fake.messages.length > 0, 'a message');
    assert.match(fake.messages.at(-1)?.message ?? '', /outside the workspace/);
  });
});
