// Activation in the real extension host: the manifest's commands, views and language are live.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activeExtension } from './helpers';

describe('activation (real extension host)', () => {
  it('activates and registers every command contributed in package.json', async () => {
    const ext = await activeExtension();
    assert.ok(ext.isActive);
    const contributed = (
      ext.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
  });

  it('registers no sentinelWorkbench command that package.json does not contribute', async () => {
    const ext = await activeExtension();
    const contributed = new Set(
      (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
        (c) => c.command,
      ),
    );
    const ours = (await vscode.commands.getCommands(true)).filter(
      (id) =>
        id.startsWith('sentinelWorkbench.') &&
        !id.includes('.focus') &&
        !id.endsWith('.resetViewLocation') &&
        !id.endsWith('.toggleVisibility') &&
        !id.endsWith('.removeView') &&
        !id.endsWith('.open'),
    );
    assert.deepStrictEqual(
      ours.filter((id) => !contributed.has(id)),
      [],
      'registered but not contributed',
    );
  });

  it('knows .kql files as the kql language', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'kql', content: 'SigninLogs | take 1' });
    assert.strictEqual(doc.languageId, 'kql');
    assert.ok((await vscode.languages.getLanguages()).includes('kql'));
  });
});
