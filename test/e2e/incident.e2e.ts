// Working an incident in a real VS Code on the demo lake, with the mouse: click an incident in the tree →
// its page opens (one per incident); "Assign to me" on the page → the tree row shows the owner and Active;
// right-click → Close Incident… → classification and comment → the row moves to Closed and the lake holds
// the new version (read back with the CLI). Screenshots of the page in dark and light themes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { Frame } from 'playwright-core';
import { RESULTS_DIR, ROOT, useWorkbench } from './harness';

interface CliIncident {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: string;
  owner?: string;
  classification?: string;
  classificationReason?: string;
  classificationComment?: string;
}

function cliIncidents(cwd: string): CliIncident[] {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'incidents', '--lake', 'lake', '--format', 'json', '--top', '1000'],
    { cwd, encoding: 'utf8' },
  );
  assert.strictEqual(r.status, 0, `swb incidents failed: ${r.stderr}`);
  return JSON.parse(r.stdout).incidents;
}

describe('incident page', function () {
  this.timeout(180000);
  const wb = useWorkbench({
    settings: {
      'sentinelWorkbench.incidents.groupBy': 'status',
      'sentinelWorkbench.incidents.myName': 'analyst@contoso.com',
    },
  });
  let target: CliIncident;

  before(() => {
    const all = cliIncidents(wb.workspaceDir);
    target = all.find((i) => i.status === 'New' && !i.owner)!;
    assert.ok(target, 'the demo lake has an unassigned New incident');
  });

  /** The incident page's frame: the webview whose document loads incident.js and shows `number`. */
  async function incidentFrame(number: number, timeoutMs = 30000): Promise<Frame> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of wb.page.frames()) {
        const found = await frame
          .evaluate(
            (n) =>
              !!document.querySelector('script[src*="incident.js"]') &&
              (document.querySelector('.top .kind')?.textContent ?? '') === `Incident #${n}`,
            number,
          )
          .catch(() => false);
        if (found) return frame;
      }
      if (Date.now() > until) throw new Error(`no incident page for #${number}`);
      await wb.page.waitForTimeout(250);
    }
  }

  const label = () => `#${target.number} ${target.title}`;

  it('a click on an incident opens its page with the whole incident', async () => {
    await wb.openView('Sentinel Workbench');
    const view = wb.view('Incidents');
    await wb.treeItem('New', view).waitFor({ timeout: 90000 });
    await wb.clickTreeItem(label(), { within: view });
    const frame = await incidentFrame(target.number);
    assert.strictEqual((await frame.textContent('h1.title'))?.trim(), target.title);
    await frame.waitForSelector('.timeline li');
    await frame.waitForSelector('table.entities tr');
    assert.strictEqual((await frame.textContent('[data-field="owner"]'))?.trim(), 'Unassigned');
    // The one primary button of an unassigned incident is "Assign to me".
    const primaries = await frame.$$eval('.actions button:not(.secondary)', (els) => els.map((e) => e.textContent));
    assert.deepStrictEqual(primaries, ['Assign to me']);
    // A second click reuses the page.
    await wb.clickTreeItem(label(), { within: view });
    await wb.page.waitForTimeout(300);
    const tabs = await wb.page.locator('.tabs-container .tab', { hasText: `#${target.number}` }).count();
    assert.strictEqual(tabs, 1);
  });

  it('"Assign to me" on the page: the tree row shows the owner and Active, the page follows', async () => {
    const frame = await incidentFrame(target.number);
    await frame.click('button[data-action="assignToMe"]');
    await frame.waitForFunction(
      () => document.querySelector('[data-field="owner"]')?.textContent === 'analyst@contoso.com',
      undefined,
      { timeout: 30000 },
    );
    const view = wb.view('Incidents');
    const row = wb.treeItem(label(), view);
    await row.locator('.label-description', { hasText: /^Active · analyst@contoso\.com/ }).waitFor({ timeout: 30000 });
    await wb.treeItem('Active', view).waitFor();
    // The comment box: Markdown is rendered, HTML is not.
    await frame.fill('#comment-text', '**Contained:** sessions revoked, password reset. <img src=x onerror=alert(1)>');
    await frame.click('button[data-action="comment"]');
    await frame.waitForSelector('.comment .md strong', { timeout: 30000 });
    assert.strictEqual(await frame.$$eval('.comment img', (els) => els.length), 0);
    assert.match((await frame.textContent('.comment .md')) ?? '', /<img src=x onerror=alert\(1\)>/);
    assert.strictEqual(await frame.inputValue('#comment-text'), '');
    await frame.evaluate(() => window.scrollTo(0, 0));
    await wb.screenshot('incident-page-dark');
  });

  it('right-click → Close Incident… with a classification: the row moves to Closed and the lake holds it', async () => {
    const view = wb.view('Incidents');
    await wb.contextMenu(label(), 'Close Incident…', view);
    await wb.quickPick('False positive — Incorrect alert logic');
    await wb.quickInputSubmit('Scanner traffic from the test tenant.');
    // The pane is short: fold the New and Active groups (a click on a group row) to see the Closed one.
    await wb.clickTreeItem('New', { within: view });
    await wb.clickTreeItem('Active', { within: view });
    await wb.treeItem('Closed', view).waitFor({ timeout: 30000 });
    await wb
      .treeItem(label(), view)
      .locator('.label-description', { hasText: /^Closed · analyst@contoso\.com/ })
      .waitFor({ timeout: 30000 });
    const stored = cliIncidents(wb.workspaceDir).find((i) => i.id === target.id)!;
    assert.deepStrictEqual(
      [stored.status, stored.owner, stored.classification, stored.classificationReason, stored.classificationComment],
      [
        'Closed',
        'analyst@contoso.com',
        'FalsePositive',
        'IncorrectAlertLogic',
        'Scanner traffic from the test tenant.',
      ],
    );
    const frame = await incidentFrame(target.number);
    await frame.waitForFunction(
      () =>
        /FalsePositive · IncorrectAlertLogic/.test(
          document.querySelector('[data-field="classification"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 30000 },
    );
    const history = fs
      .readFileSync(path.join(wb.workspaceDir, 'lake', 'SecurityIncident.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { IncidentName: string; Status: string })
      .filter((r) => r.IncidentName === target.id)
      .map((r) => r.Status);
    assert.deepStrictEqual(history, ['New', 'Active', 'Closed'], 'every change is a new row version');
  });

  it('the page in the light theme', async () => {
    await wb.runCommand('Preferences: Color Theme');
    await wb.quickPick(/^Light Modern$/);
    await wb.page.locator('.monaco-workbench.vs').first().waitFor({ timeout: 15000 });
    const frame = await incidentFrame(target.number);
    await frame.waitForSelector('h1.title');
    await wb.screenshot('incident-page-light');
    assert.ok(fs.existsSync(path.join(RESULTS_DIR, 'incident-page-light.png')));
  });
});
