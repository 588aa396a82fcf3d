// The Entity Analyzer in the real VS Code on the demo lake: select the compromised user's UPN in a sample
// .kql file → editor context menu → lookback → progress → verdict "Compromised" with evidence; the Analyses
// view lists it; "Open query" opens KQL that re-runs on the lake; a second request within the hour is
// answered from the cache. Screenshots: test-results/analyzer-*.png.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { ROOT, useWorkbench } from './harness';

const UPN = 'megan.bowen@contoso.com';
const VERDICT_TITLE = `Verdict: ${UPN}`;

describe('Entity Analyzer', function () {
  // Each local analysis takes at least 4 s, so the progress notification is there to be seen.
  const previous = process.env.SWB_ANALYSIS_MIN_RUN_MS;
  before(() => {
    process.env.SWB_ANALYSIS_MIN_RUN_MS = '4000';
  });
  after(() => {
    if (previous === undefined) delete process.env.SWB_ANALYSIS_MIN_RUN_MS;
    else process.env.SWB_ANALYSIS_MIN_RUN_MS = previous;
  });
  const wb = useWorkbench({ settings: { 'sentinelWorkbench.incidents.groupBy': 'none' } });

  function extensionLog(): string {
    const found: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'Sentinel Workbench.log') found.push(fs.readFileSync(p, 'utf8'));
      }
    };
    try {
      walk(path.join(wb.userDataDir, 'logs'));
    } catch {
      // no logs yet
    }
    return found.join('\n');
  }

  /** The verdict page's frame: the webview whose document loads verdict.js and shows `upn`. */
  async function verdictFrame(timeoutMs = 20000): Promise<Frame> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of wb.page.frames()) {
        const found = await frame
          .evaluate(
            (upn) =>
              !!document.querySelector('script[src*="verdict.js"]') &&
              (document.querySelector('.entity .id')?.textContent ?? '') === upn,
            UPN,
          )
          .catch(() => false);
        if (found) return frame;
      }
      if (Date.now() > until) {
        const titles = await wb.page.$$eval('iframe', (els) =>
          els.map((e) => `${e.className}|${e.getAttribute('title')}`),
        );
        throw new Error(`no verdict webview for ${UPN}; iframes: ${titles.join(', ')}`);
      }
      await wb.page.waitForTimeout(250);
    }
  }

  it('analyzes a UPN selected in a .kql file from the editor context menu', async () => {
    await wb.openFile('hunting.kql');
    // Select the UPN with Find (Enter selects the match), then close the find widget; the selection stays.
    await wb.activeEditor.locator('textarea').focus();
    await wb.page.keyboard.press('Control+Home');
    await wb.page.keyboard.press('Control+F');
    const find = wb.page.locator('.editor-widget.find-widget textarea, .editor-widget.find-widget input').first();
    await find.waitFor();
    await find.fill(`"${UPN}"`);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('Escape');
    // Drop the quotes: select just the UPN inside them.
    await wb.page.keyboard.press('ArrowLeft');
    await wb.page.keyboard.press('ArrowRight');
    for (let i = 0; i < UPN.length; i++) await wb.page.keyboard.press('Shift+ArrowRight');
    // The menu item depends on a context key set from the selection; reopen the menu until it shows.
    const item = wb.page
      .locator('.monaco-menu .action-item .action-label', { hasText: /^\s*Analyze Entity…\s*$/ })
      .first();
    for (let attempt = 0; ; attempt++) {
      await wb.page.keyboard.press('Shift+F10');
      await wb.page.locator('.monaco-menu .action-item').first().waitFor();
      if (
        await item.waitFor({ timeout: 2000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      await wb.page.keyboard.press('Escape');
      if (attempt >= 4)
        throw new Error('"Analyze Entity…" never appeared in the editor context menu for a selected UPN');
    }
    await wb.screenshot('analyzer-context-menu');
    await wb.clickMenuItem('Analyze Entity…');
    await wb.quickPick('Last 7 days');
    const progress = await wb.waitForNotification(new RegExp(`Analyzing user ${UPN.replace(/\./g, '\\.')}`), 20000);
    await progress
      .locator('.notification-list-item-details-row, .notification-list-item-message', {
        hasText: /Running|Queued|Starting/,
      })
      .first()
      .waitFor({ timeout: 20000 })
      .catch(() => undefined);
    await wb.screenshot('analyzer-progress');

    const frame = await verdictFrame(90000);
    await frame.waitForSelector('.verdict .badge', { timeout: 90000 });
    assert.strictEqual((await frame.textContent('.verdict .badge'))?.trim(), 'Compromised');
    const cards = await frame.$$('.evidence');
    assert.ok(cards.length >= 2, `expected evidence cards, got ${cards.length}`);
    assert.match((await frame.textContent('.facts')) ?? '', /Expires/);
    assert.strictEqual(await frame.$('.ai-note'), null, 'no AI note for the local analyzer');
    // Locked down: CSP default-src 'none' with a nonce, only the page's own script, no inline handlers.
    const page = await frame.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      scripts: Array.from(document.scripts).map((s) => s.src || 'inline'),
      handlers: Array.from(document.querySelectorAll('*')).flatMap((e) =>
        Array.from(e.attributes)
          .filter((a) => a.name.startsWith('on'))
          .map((a) => a.name),
      ),
      images: document.images.length,
    }));
    assert.match(page.csp, /default-src 'none'/);
    assert.match(page.csp, /script-src 'nonce-[^']+'/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(page.csp));
    assert.ok(
      page.scripts.some((src) => src.endsWith('/dist/webview/verdict.js')),
      page.scripts.join(', '),
    );
    assert.deepStrictEqual(page.handlers, []);
    assert.strictEqual(page.images, 0);
    // One primary button; the strongest evidence card open, the rest folded; KQL highlighted by our grammar.
    assert.deepStrictEqual(await frame.$$eval('button:not(.secondary)', (els) => els.map((e) => e.textContent)), [
      'Add as incident comment',
    ]);
    assert.strictEqual(await frame.$$eval('details.evidence[open]', (els) => els.length), 1);
    await frame.waitForSelector('details.evidence[open] pre.kql .tok-control');
    const folded = await frame.$('details.evidence:not([open]) > summary');
    if (folded) {
      await folded.click();
      assert.strictEqual(
        await frame.$$eval('details.evidence[open]', (els) => els.length),
        2,
        'a click unfolds a card',
      );
      await folded.click();
    }
    await wb.screenshot('analyzer-verdict');
  });

  it('lists the analysis with its verdict in the Analyses view', async () => {
    await wb.openView('Sentinel Workbench');
    await wb.expandView('Analyses');
    const row = wb.treeItem(UPN, wb.view('Analyses'));
    await row.waitFor();
    await row.locator('.label-description', { hasText: /^Compromised · / }).waitFor();
    await wb.screenshot('analyzer-analyses-view');
  });

  it('opens an evidence query as KQL that re-runs on the lake to the rows it cites', async () => {
    const frame = await verdictFrame();
    const query = ((await frame.textContent('details.evidence[open] pre.kql code')) ?? '').trim();
    const cited = (await frame.$$('details.evidence[open] .rows tbody tr')).length;
    assert.ok(query.length > 0);
    const groups = await wb.page.locator('.editor-group-container').count();
    await frame.click('details.evidence[open] button[data-action="openQuery"]');
    // Named after the evidence (no "Untitled-N"), in a group beside the verdict.
    await wb.page.locator('.tabs-container .tab.active', { hasText: /^Evidence - / }).waitFor();
    assert.strictEqual(await wb.languageMode(), 'KQL');
    const text = await wb.editorText();
    assert.match(text, /\/\/ Evidence: /);
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist', 'cli.js'),
        'query',
        '--lake',
        path.join(wb.workspaceDir, 'lake'),
        '--format',
        'json',
        '-e',
        query,
      ],
      { encoding: 'utf8' },
    );
    assert.strictEqual(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout).rows.length;
    assert.ok(rows > 0, 'the evidence query returns rows');
    assert.strictEqual(Math.min(rows, 20), cited, 'the card shows the rows the query returns (up to 20)');
    await wb.screenshot('analyzer-open-query');
    // A second "Open query" reuses that group instead of adding one.
    const afterFirst = await wb.page.locator('.editor-group-container').count();
    assert.strictEqual(afterFirst, groups + 1);
    const again = await verdictFrame();
    await again.click('details.evidence[open] button[data-action="openQuery"]');
    await wb.page
      .locator('.tabs-container .tab', { hasText: /^Evidence - / })
      .nth(1)
      .waitFor();
    assert.strictEqual(await wb.page.locator('.editor-group-container').count(), afterFirst);
    // Closing an evidence tab asks nothing (it is read-only, not an unsaved untitled file).
    await wb.page.locator('.tabs-container .tab.active', { hasText: /^Evidence - / }).click();
    await wb.page.keyboard.press('Control+W');
    await wb.page.waitForTimeout(500);
    assert.strictEqual(await wb.page.locator('.monaco-dialog-box').count(), 0, 'no save prompt');
  });

  it('answers a second request within the hour from the cache', async () => {
    await wb.dismissNotifications();
    await wb.runCommand('Sentinel: Analyze Entity…');
    await wb.quickInputSubmit(UPN);
    await wb.quickPick('Last 7 days');
    await wb.waitForNotification(
      /Showing the cached verdict for megan\.bowen@contoso\.com from \d+ min ago \(no run spent\)/,
      20000,
    );
    const frame = await verdictFrame();
    await frame.waitForSelector('.cache-note');
    await wb.page.locator('.tabs-container .tab.active', { hasText: VERDICT_TITLE }).waitFor();
    await wb.screenshot('analyzer-cached');
  });

  it('queues the accounts and URLs of an incident from the Incidents view and summarises', async () => {
    await wb.dismissNotifications();
    await wb.openView('Sentinel Workbench');
    await wb.expandView('Incidents');
    const row = wb.treeItem('#105 A potentially malicious URL click was detected', wb.view('Incidents'));
    await row.click({ button: 'right' });
    await wb.page
      .locator('.monaco-menu .action-item .action-label', { hasText: /^\s*Analyze Incident Entities…\s*$/ })
      .first()
      .waitFor();
    await wb.screenshot('analyzer-incident-menu');
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Sentinel: Analyze Incident Entities…');
    await wb.quickPick(/#105 A potentially malicious URL click was detected/);
    const summary = await wb.waitForNotification(/Entity Analyzer, incident #105: \d+ entit/, 30000).catch((e) => {
      throw new Error(`${e.message}\n--- extension log ---\n${extensionLog().slice(-3000)}`);
    });
    const text = (await summary.textContent()) ?? '';
    assert.match(text, /\d+ queued/);
    await wb.screenshot('analyzer-incident-batch');
    // The phishing URL's analysis shows up in the Analyses view and finishes Malicious.
    const analyses = wb.view('Analyses');
    const url = wb.treeItem(/micros0ft-auth\.com/, analyses);
    await url.waitFor({ timeout: 30000 });
    await url.locator('.label-description', { hasText: /^Malicious · / }).waitFor({ timeout: 90000 });
    await wb.screenshot('analyzer-analyses-batch');
  });
});
