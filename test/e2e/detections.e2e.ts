// Detection tests in a real VS Code: the Testing view lists sample/tests/*.test.yaml as file → cases and runs
// them in the detection-tests child process; rule files carry "▶ Test" / "Create test…".
// Screenshots: test-results/detection-tests-*.png.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RESULTS_DIR, useWorkbench } from './harness';

const BROKEN = `rule: ../rules/identity/password-spray.yaml
now: 2026-11-18T03:00:00Z
cases:
  - name: expects silence but the spray fires
    tables:
      SigninLogs: fixtures/spray-signins.jsonl
    expect:
      alerts: 0
`;

describe('detection tests', function () {
  const wb = useWorkbench({ files: { 'tests/zz-broken.test.yaml': BROKEN } });
  // Testing view rows: the label is plain text in the row (no .label-name as in other trees).
  const row = (text: string) => wb.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
  const dumpRows = async () => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const rows = await wb.page
      .locator('.part.sidebar .monaco-list-row')
      .evaluateAll((els) => els.map((el) => `${el.getAttribute('aria-label')} | ${el.textContent}`));
    fs.writeFileSync(path.join(RESULTS_DIR, 'detection-tests-rows.txt'), rows.join('\n'));
  };

  it('shows the sample tests in the Testing view as file → cases and runs them', async () => {
    await wb.openView('Testing');
    await row('password-spray.test.yaml').waitFor({ timeout: 60_000 });
    await wb.runCommand('Test: Run All Tests');
    // the rows report their outcome in their accessible label ("<description> (Passed), in 236ms")
    const outcome = (text: string, state: string) =>
      wb.page.locator(`.part.sidebar .monaco-list-row[aria-label*="(${state})"]`).filter({ hasText: text }).first();
    const passed = outcome('password-spray.test.yaml', 'Passed');
    const failed = outcome('zz-broken.test.yaml', 'Failed');
    try {
      await passed.waitFor({ timeout: 90_000 });
      await failed.waitFor({ timeout: 30_000 });
    } catch (e) {
      await dumpRows();
      throw e;
    }
    await row('password-spray.test.yaml').click();
    await wb.page.keyboard.press('ArrowRight');
    await row("spray from 192.0.2.66 followed by megan's sign-in fires").waitFor();
    for (const f of [
      'inbox-forwarding',
      'lookalike-domain',
      'malicious-url-click',
      'mfa-registration-new-country',
      'multiple-failed-signins',
    ]) {
      await outcome(`${f}.test.yaml`, 'Passed').waitFor();
    }
    await wb.screenshot('detection-tests-testing-view');
  });

  it('shows what a failing case got instead', async () => {
    await row('zz-broken.test.yaml').click();
    await wb.page.keyboard.press('ArrowRight');
    await row('expects silence but the spray fires').dblclick();
    const peek = wb.page.locator('.test-output-peek, .peekview-widget').first();
    await peek.waitFor({ timeout: 30_000 });
    await wb.page
      .locator('.peekview-widget', { hasText: /expected 0 alerts, got 1/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.screenshot('detection-tests-failure');
    // the failure's text message carries the link to the actual rows
    const link = wb.page.locator('a:visible', { hasText: 'Open the actual rows (1) in the results panel' }).first();
    await wb.until(link, async () => {
      const message = wb.page.locator('.monaco-list-row:visible', { hasText: /expected 0 alerts, got 1/ }).first();
      if (await message.isVisible()) await message.click();
    });
    await link.click();
    const frame = await wb.webviewFrame(
      'Results: High_CredentialAccess_T1110 — expects silence but the spray fires',
      30_000,
    );
    await frame.waitForSelector('text=megan.bowen@contoso.com', { timeout: 30_000 });
    await wb.screenshot('detection-tests-actual-rows');
  });

  it('puts "▶ Test" and "Create test…" on a rule file', async () => {
    await wb.openFile('rules/identity/password-spray.yaml');
    const lens = wb.page.locator('.monaco-editor .codelens-decoration');
    await lens.filter({ hasText: '▶ Test' }).first().waitFor({ timeout: 30_000 });
    assert.ok(await lens.filter({ hasText: 'Create test…' }).count());
    await wb.screenshot('detection-tests-codelens');
  });
});
