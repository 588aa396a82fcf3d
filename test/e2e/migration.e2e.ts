// The migration checklist in a real VS Code on the demo workspace: open it, run the live checks against
// the demo lake and the sample rule files, follow a link to the offending rule, tick an item and find it
// ticked after a window reload, set the cutover and read the deadline in the status bar, export the runbook.
// Expected values come from the CLI on the same workspace copy, so the page is checked against the core.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { FrameLocator } from 'playwright-core';
import { ROOT, useWorkbench } from './harness';
import { DUPLICATE_INCIDENTS_QUERY } from '../../src/core/migration/checklist';

const TITLE = 'Migration Checklist';

function cli(args: string[], cwd: string): any {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `swb ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('migration checklist', function () {
  this.timeout(180000);
  const wb = useWorkbench();
  let page: FrameLocator;
  // The checklist is the only webview these tests open. (code-server 4.100's webview iframes carry no
  // title attribute, so the page is found by its class rather than by the panel title.)
  const checklistPage = () => wb.page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');

  async function openChecklist(): Promise<void> {
    // On a busy machine the palette can be asked before the extension's commands are registered.
    const until = Date.now() + 90000;
    while (!(await wb.paletteHas('Sentinel: Open Migration Checklist', 3000))) {
      if (Date.now() > until) throw new Error('the palette never listed "Sentinel: Open Migration Checklist"');
    }
    await wb.runCommand('Sentinel: Open Migration Checklist');
    page = checklistPage();
    await page.locator('li.item').first().waitFor({ timeout: 30000 });
  }

  it('opens from the command palette with every phase', async () => {
    await openChecklist();
    assert.deepStrictEqual(
      await page.locator('section[data-phase] h2').evaluateAll((hs) => hs.map((h) => h.firstChild?.textContent)),
      ['Pre-migration', 'Cutover day', 'Post-migration', 'Cleanup'],
    );
    assert.match((await page.locator('#progress-text').textContent()) ?? '', /^0 of \d+ done$/);
  });

  it("runs the duplicate-incidents check and shows the demo lake's duplicate titles", async () => {
    const expected = cli(
      ['query', '--lake', path.join(wb.workspaceDir, 'lake'), '--format', 'json', '-e', DUPLICATE_INCIDENTS_QUERY],
      wb.workspaceDir,
    );
    assert.ok(expected.rows.length > 0, 'the demo lake plants duplicate incident titles');
    const item = page.locator('[data-item="cutover.duplicate-incidents"]');
    await item.locator('button.run-check').click();
    const rows = item.locator('table.duplicate-incidents tbody tr');
    await rows.first().waitFor({ timeout: 90000 });
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [tr.children[0].textContent, Number(tr.children[1].textContent)]),
    );
    assert.deepStrictEqual(
      shown,
      expected.rows.map((r: unknown[]) => [r[0], Number(r[1])]),
    );
    assert.match((await item.locator('.check-result').textContent()) ?? '', /Microsoft incident creation rules/);
    await wb.screenshot('migration-duplicate-incidents');
  });

  it('finds the connectors that appeared at cutover and the automation rules to recreate', async () => {
    const connectors = page.locator('[data-item="cutover.connectors"]');
    await connectors.locator('button.run-check').click();
    const rows = connectors.locator('table.connectors tbody tr');
    await rows.first().waitFor({ timeout: 60000 });
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => `${tr.children[0].textContent}: ${tr.children[2].textContent}`),
    );
    assert.deepStrictEqual(
      shown.sort(),
      [
        'Microsoft Defender for Cloud Apps: conditional',
        'Microsoft Defender for Cloud: yes',
        'Microsoft Defender for Endpoint: yes',
      ].sort(),
    );
    const automation = page.locator('[data-item="pre.automation-inventory"]');
    await automation.locator('button.run-check').click();
    await automation.locator('table.automation').waitFor({ timeout: 60000 });
    const names = await automation.locator('table.automation tbody tr').count();
    assert.strictEqual(
      names,
      fs.readdirSync(path.join(wb.workspaceDir, 'automation')).filter((f) => f.endsWith('.json')).length,
    );
    assert.match((await automation.locator('.check-result').textContent()) ?? '', /in parallel/);
    await wb.screenshot('migration-connectors-automation');
  });

  it('audits the sample rule files and opens an offending rule at its line', async () => {
    const expected = cli(['audit', 'rules', '--format', 'json', 'rules'], wb.workspaceDir);
    assert.ok(
      expected.duplicateTitles.length > 0 && expected.errors.length > 0,
      'the sample rules plant duplicates and a broken file',
    );
    const item = page.locator('[data-item="pre.rule-titles"]');
    await item.locator('button.run-check').click();
    await item.locator('table.duplicate-titles').waitFor({ timeout: 60000 });
    const titles = await item
      .locator('table.duplicate-titles tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent));
    assert.deepStrictEqual([...titles].sort(), expected.duplicateTitles.map((d: { title: string }) => d.title).sort());
    const near = await item.locator('table.near-duplicate-titles tbody tr').count();
    assert.strictEqual(near, expected.nearDuplicateTitles.length);
    const broken = await item
      .locator('table.rule-errors tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent ?? ''));
    for (const e of expected.errors as { file: string }[])
      assert.ok(
        broken.some((b) => b.startsWith(e.file)),
        `error for ${e.file} shown`,
      );
    await wb.screenshot('migration-rule-audit');

    const link = item.locator('table.duplicate-titles button.link').first();
    const file = (await link.getAttribute('data-file'))!;
    const line = Number(await link.getAttribute('data-line'));
    await link.click();
    await wb.page
      .locator('.tabs-container .tab', { hasText: path.basename(file) })
      .first()
      .waitFor({ timeout: 20000 });
    await wb.statusBarItem(`Ln ${line}, Col 1`).waitFor({ timeout: 20000 });
    const lines = fs.readFileSync(path.join(wb.workspaceDir, file), 'utf8').split(/\r?\n/);
    assert.match(
      lines[line - 1],
      new RegExp(`(name|displayName)"?\\s*:\\s*"?${titles[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    await wb.screenshot('migration-rule-opened');
  });

  it('keeps a ticked item after the window reloads', async () => {
    await wb.page.locator('.tabs-container .tab', { hasText: TITLE }).first().click();
    page = checklistPage();
    const box = page.locator('#item-pre-communicate');
    await box.check();
    await page.locator('#progress-text', { hasText: /^1 of/ }).waitFor();
    await page.locator('#timeline li', { hasText: 'Ticked "Agree the cutover window' }).waitFor();
    await wb.page.reload();
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    // The panel serializer restores the checklist itself after the reload.
    page = checklistPage();
    await page.locator('li.item').first().waitFor({ timeout: 60000 });
    assert.strictEqual(await page.locator('#item-pre-communicate').isChecked(), true);
    // Check results survive too, with their timestamps.
    assert.strictEqual(
      await page.locator('[data-item="cutover.duplicate-incidents"] table.duplicate-incidents').count(),
      1,
    );
    await wb.screenshot('migration-after-reload');
  });

  it('turns the cutover time into deadlines and shows the next one in the status bar', async () => {
    for (const id of ['pre-inventory-connectors', 'pre-rule-titles', 'pre-automation-inventory', 'pre-rbac-plan'])
      await page.locator(`#item-${id}`).check();
    await page.locator('#progress-text', { hasText: /^5 of/ }).waitFor();
    // Cutover 40 minutes ago: auditing the connectors (cutover + 2 h) is due in 1 h 20 m.
    // datetime-local wants local time; computed in the page (no named functions: the page has no bundler helpers).
    const value = await page.locator('#cutover').evaluate(
      (_el, offsetMs) => {
        const d = new Date(Date.now() + offsetMs);
        return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      },
      -40 * 60_000 + 30_000,
    );
    await page.locator('#cutover').fill(value);
    await page.locator('button', { hasText: /^Set$/ }).click();
    const badge = page.locator('[data-item="cutover.connectors"] .deadline .badge');
    await badge.waitFor();
    assert.match((await badge.textContent()) ?? '', /^due in 1 h (19|20) m$/);
    const status = wb.statusBarItem(/Audit connectors that auto-enabled: due in 1 h (19|20) m/);
    await status.waitFor({ timeout: 20000 });
    await wb.screenshot('migration-deadline');
  });

  it('exports the runbook as Markdown', async () => {
    const target = path.join(wb.workspaceDir, 'migration-runbook.md');
    await page.locator('button', { hasText: 'Export runbook' }).click();
    await wb.acceptSaveDialog('migration-runbook.md');
    const deadline = Date.now() + 20000;
    // the file may show before its text is written
    const written = () => fs.existsSync(target) && fs.statSync(target).size > 0;
    while (!written() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const md = fs.readFileSync(target, 'utf8');
    assert.match(md, /^# Sentinel → Defender portal migration runbook/);
    assert.match(md, /- \[x\] \*\*Agree the cutover window and tell the SOC\*\*/);
    assert.match(md, /### Duplicate incidents\n\nRan \S+ on local demo lake: \*\*findings\*\*/);
    assert.match(md, /## Timeline\n\n(- .*\n)*- \S+ — Ticked "Agree the cutover window and tell the SOC"/);
    assert.match(md, /- Cutover: \d{4}-\d\d-\d\dT/);
    fs.copyFileSync(target, path.join(ROOT, 'test-results', 'migration-runbook.md'));
  });
});
