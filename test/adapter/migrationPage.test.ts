// The checklist page in Chromium with a fake host: it renders the model and state it is sent, escapes
// data, and turns clicks into the typed messages the host expects.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHECKLIST, DUPLICATE_INCIDENTS_QUERY } from '../../src/core/migration/checklist';
import { runCheck } from '../../src/core/migration/checks';
import { applyChange, ChecklistState, emptyState } from '../../src/core/migration/state';
import type { LoadedRule } from '../../src/core/migration/ruleFiles';
import type { ChecklistSnapshot } from '../../src/webview/_checklistProtocol';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.SWB_CHROMIUM || '/usr/bin/chromium';

async function bundle(): Promise<string> {
  const esbuild = require('esbuild');
  const out = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/webview/checklist.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    loader: { '.css': 'text' },
    logLevel: 'silent',
  });
  return out.outputFiles[0].text as string;
}

const rule = (id: string, title: string, file: string, line: number): LoadedRule => ({
  id,
  title,
  tactics: [],
  techniques: [],
  query: 'SigninLogs | take 1',
  location: { file, line },
  origin: 'yaml',
});

async function stateWithResults(): Promise<ChecklistState> {
  const now = () => new Date('2026-01-10T11:00:00Z');
  let s = applyChange(
    emptyState(),
    { kind: 'setCutover', cutover: new Date(Date.now() + 3_600_000).toISOString() },
    now(),
  );
  s = applyChange(s, { kind: 'setDone', itemId: 'pre.communicate', done: true }, now());
  s = applyChange(
    s,
    { kind: 'setNote', itemId: 'pre.communicate', note: '<img src=x onerror="window.__pwned=1">' },
    now(),
  );
  const dup = await runCheck('duplicateIncidents', {
    now,
    source: 'local demo lake',
    runQuery: async () => ({
      columns: [
        { name: 'Title', type: 'string' },
        { name: 'IncidentCount', type: 'long' },
      ],
      rows: [['<b>Password spray</b>', 3]],
      stats: { rowsScanned: 1, rowsReturned: 1, elapsedMs: 1, truncated: false },
    }),
  });
  const titles = await runCheck('ruleTitles', {
    now,
    analyticsRules: async () => ({
      rules: [
        rule('a', 'High_CredentialAccess_T1110', 'rules/a.yaml', 2),
        rule('b', 'High_CredentialAccess_T1110', 'rules/b.yaml', 5),
      ],
      errors: [{ file: 'rules/broken.yaml', line: 4, column: 1, message: 'YAML: bad' }],
      sources: ['rules'],
    }),
  });
  s = applyChange(s, { kind: 'recordCheck', run: dup }, now());
  s = applyChange(s, { kind: 'recordCheck', run: titles }, now());
  return s;
}

describe('migration checklist page (Chromium, fake host)', function () {
  this.timeout(60000);
  let browser: Browser;
  let page: Page;
  let dir: string;

  before(async function () {
    // scripts/setup.sh installs Chromium: without it this suite fails rather than passing quietly.
    if (!fs.existsSync(CHROMIUM)) throw new Error(`needs Chromium at ${CHROMIUM} (run scripts/setup.sh)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-checklist-page-'));
    fs.writeFileSync(path.join(dir, 'checklist.js'), await bundle());
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-abc'; script-src 'nonce-abc' file:;">
</head><body data-nonce="abc"><main id="app"></main>
<script nonce="abc">window.__sent=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__sent.push(m),getState:()=>undefined,setState:()=>{}});</script>
<script nonce="abc" src="checklist.js"></script></body></html>`,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
    });
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${path.join(dir, 'index.html')}`);
    const snapshot: ChecklistSnapshot = {
      model: CHECKLIST,
      state: await stateWithResults(),
      backend: 'local demo lake',
      running: [],
    };
    await page.evaluate(
      (s) => window.postMessage({ type: 'state', snapshot: s }, '*'),
      snapshot as unknown as Record<string, unknown>,
    );
    await page.locator('li.item').first().waitFor();
    assert.deepStrictEqual(errors, []);
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const sent = () => page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent);

  it('says ready, renders every phase and item, progress and the stored tick', async () => {
    assert.deepStrictEqual((await sent())[0], { type: 'ready' });
    assert.strictEqual(await page.locator('section[data-phase]').count(), 4);
    assert.strictEqual(await page.locator('li.item').count(), CHECKLIST.items.length);
    assert.strictEqual(await page.locator('#progress-text').textContent(), `1 of ${CHECKLIST.items.length} done`);
    assert.strictEqual(await page.locator('#item-pre-communicate').isChecked(), true);
    assert.match(
      (await page.locator('[data-item="cutover.connectors"] .deadline').textContent())!,
      /due in 2 h|due in 1 h 59 m/,
    );
    assert.match((await page.locator('#next-deadline').textContent())!, /Next: .*overdue/);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.setViewportSize({ width: 1200, height: 2400 });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'migration-page.png') });
  });

  it('shows data as text, never as markup', async () => {
    assert.strictEqual(
      await page.locator('[data-item="pre.communicate"] textarea').inputValue(),
      '<img src=x onerror="window.__pwned=1">',
    );
    assert.strictEqual(await page.locator('img').count(), 0);
    assert.strictEqual(await page.locator('b').count(), 0);
    const cell = page.locator('[data-item="cutover.duplicate-incidents"] table.duplicate-incidents td').first();
    assert.strictEqual(await cell.textContent(), '<b>Password spray</b>');
    assert.strictEqual(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('turns clicks and keys into typed messages', async () => {
    await page.locator('#item-cutover-connectors').focus();
    await page.keyboard.press('Space');
    await page.locator('[data-item="pre.rule-titles"] table.duplicate-titles button.link').first().click();
    await page.locator('[data-item="cutover.duplicate-incidents"] button', { hasText: 'Open query' }).click();
    await page.locator('[data-item="cutover.rbac"] button.run-check').click();
    await page.locator('button', { hasText: 'Export runbook' }).click();
    const note = page.locator('[data-item="post.feedback"] textarea');
    await page.locator('[data-item="post.feedback"] summary').click();
    await note.fill('ask the SOC');
    await note.blur();
    const messages = (await sent()).slice(1);
    assert.deepStrictEqual(messages, [
      { type: 'setDone', itemId: 'cutover.connectors', done: true },
      { type: 'openFile', file: 'rules/a.yaml', line: 2 },
      { type: 'openQuery', query: DUPLICATE_INCIDENTS_QUERY },
      { type: 'runCheck', checkId: 'rbac' },
      { type: 'exportRunbook' },
      { type: 'setNote', itemId: 'post.feedback', note: 'ask the SOC' },
    ]);
  });

  it('shows a running check and the broken rule file with a link to its line', async () => {
    await page.evaluate(() => window.postMessage({ type: 'running', checkId: 'ruleTitles', running: true }, '*'));
    const btn = page.locator('[data-item="pre.rule-titles"] button.run-check');
    assert.strictEqual(await btn.textContent(), 'Running…');
    assert.strictEqual(await btn.isDisabled(), true);
    const err = page.locator('[data-item="pre.rule-titles"] table.rule-errors button.link');
    assert.strictEqual(await err.textContent(), 'rules/broken.yaml:4');
  });
});
