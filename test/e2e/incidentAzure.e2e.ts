// Working an incident against Azure in the real VS Code: the extension talks to a loopback server that speaks
// ARM (test/unit/backends/azureServer.ts). Another analyst changes the incident after the page opened; a
// severity change then meets ARM's 412, the notification names their change, "Apply My Change Again" puts
// mine on top of theirs (one PUT with their etag as If-Match); closing from the tree reaches ARM too.
import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { FakeAzure, startFakeAzure, TOKEN, WS_ID } from '../unit/backends/azureServer';
import { useWorkbench } from './harness';

const ID4 = '00000004-aaaa-bbbb-cccc-dddddddddddd';

describe('incident page on Azure', function () {
  this.timeout(180000);
  let fake: FakeAzure;
  const saved = process.env.SWB_ACCESS_TOKEN;
  // Filled in before the workbench starts (the server's port is known only then).
  const settings: Record<string, unknown> = {
    'sentinelWorkbench.incidents.groupBy': 'none',
    'sentinelWorkbench.incidents.myName': 'analyst@contoso.com',
  };
  before(async () => {
    fake = await startFakeAzure();
    process.env.SWB_ACCESS_TOKEN = TOKEN;
    Object.assign(settings, {
      'sentinelWorkbench.backend': 'azure',
      'sentinelWorkbench.azure.workspaceResourceId': WS_ID,
      'sentinelWorkbench.azure.armEndpoint': fake.url,
      'sentinelWorkbench.azure.logsEndpoint': `${fake.url}/v1`,
      'sentinelWorkbench.azure.sentinelMcpUrl': `${fake.url}/mcp`,
      'sentinelWorkbench.development.useAccessTokenFromEnvironment': true,
    });
  });
  after(async () => {
    if (saved === undefined) delete process.env.SWB_ACCESS_TOKEN;
    else process.env.SWB_ACCESS_TOKEN = saved;
    await fake?.close();
  });
  const wb = useWorkbench({ settings });

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

  it("a change racing another analyst's: their change is shown, mine applied on top with their etag", async () => {
    await wb.openView('Sentinel Workbench');
    const view = wb.view('Incidents');
    await wb.clickTreeItem('#4 Incident 4', { within: view });
    const frame = await incidentFrame(4);
    await frame.waitForSelector('.timeline li');
    assert.strictEqual((await frame.textContent('[data-field="owner"]'))?.trim(), 'Unassigned');
    fake.changeIncident(ID4, { owner: { userPrincipalName: 'carol@contoso.com', assignedTo: 'Carol' } });
    await frame.click('button[data-action="severity"]');
    await wb.quickPick('High');
    const toast = await wb.waitForNotification(
      /Someone else changed incident #4 since you opened it: owner — → carol@contoso\.com/,
      30000,
    );
    await wb.screenshot('incident-azure-conflict');
    const retry = toast.locator('a.monaco-button, .monaco-button', { hasText: 'Apply My Change Again' }).first();
    await retry.hover();
    await retry.click();
    await frame.waitForFunction(
      () =>
        document.querySelector('.sev')?.textContent === 'High' &&
        document.querySelector('[data-field="owner"]')?.textContent === 'carol@contoso.com',
      undefined,
      { timeout: 30000 },
    );
    const puts = fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/incidents/${ID4}`));
    assert.strictEqual(puts.length, 1, 'the stale version was never written');
    assert.strictEqual(puts[0].ifMatch, '"2"');
    await wb
      .treeItem('#4 Incident 4', view)
      .locator('.label-description', { hasText: /carol@contoso\.com/ })
      .waitFor({ timeout: 30000 });
  });

  it('right-click → Close Incident… on Azure: ARM gets the classification and the tree row says Closed', async () => {
    const view = wb.view('Incidents');
    await wb.contextMenu('#4 Incident 4', 'Close Incident…', view);
    await wb.quickPick('Benign positive — Suspicious but expected');
    await wb.quickInputSubmit('Red team exercise.');
    await wb
      .treeItem('#4 Incident 4', view)
      .locator('.label-description', { hasText: /^Closed · / })
      .waitFor({ timeout: 30000 });
    const put = fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/incidents/${ID4}`)).pop()!;
    const props = (put.body as { properties: Record<string, unknown> }).properties;
    assert.deepStrictEqual(
      [props.status, props.classification, props.classificationReason, props.classificationComment],
      ['Closed', 'BenignPositive', 'SuspiciousButExpected', 'Red team exercise.'],
    );
  });
});
