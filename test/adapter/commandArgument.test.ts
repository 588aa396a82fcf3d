// The command argument parser (src/extension/command.ts): what a command receives from a view's context menu
// (a tree node), an explorer or editor menu (a URI), the palette with text selected, the palette with nothing,
// and a CodeLens; and command modules that act on each.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { QueryHistory } from '../../src/core/history';
import { documentUriOf, parseArgument, registerCommands, type CommandArgument } from '../../src/extension/command';
import type { CommandId } from '../../src/extension/commandIds';
import { copyHistoryQuery } from '../../src/extension/authoring/commands/copyHistoryQuery';
import { requestFrom } from '../../src/extension/authoring/commands/queryArgument';
import { HistoryNode } from '../../src/extension/authoring/historyView';
import type { AuthoringServices } from '../../src/extension/authoring/services';
import type { FeatureContext } from '../../src/extension/features';
import { createExtensionContext, disposeContext, fake, fakeEditor, Uri } from './support/fakeVscode';

const QUERIES =
  'SigninLogs\n| take 5\n\nlet TargetUpn = "megan.bowen@contoso.com";\nSigninLogs\n| where UserPrincipalName == TargetUpn';

describe('command argument parser (adapter)', () => {
  beforeEach(() => fake.reset());

  it('a node of one of the views is a node', () => {
    const node = new HistoryNode({
      id: 'h1',
      ranAt: '2026-11-20T10:00:00Z',
      query: 'print 1',
      title: 'q',
      backend: 'local',
      timeRange: '',
      durationMs: 1,
    });
    const arg = parseArgument(node);
    assert.strictEqual(arg.kind, 'node');
    assert.strictEqual(arg.kind === 'node' && arg.node, node);
  });

  it('a URI from the explorer or an editor menu is a URI', () => {
    const uri = Uri.file('/work/rules/spray.yaml');
    assert.deepStrictEqual(parseArgument(uri), { kind: 'uri', uri });
    // Another document than the one with the selection stays a URI.
    fake.activeTextEditor = fakeEditor('/work/hunt.kql', QUERIES, [0, 0, 0, 10]);
    assert.strictEqual(parseArgument(uri).kind, 'uri');
  });

  it("text selected in the editor is a selection, from the palette and from that editor's context menu", () => {
    const editor = fakeEditor('/work/hunt.kql', QUERIES, [0, 0, 1, 8]);
    fake.activeTextEditor = editor;
    const expected = { kind: 'selection', editor, text: 'SigninLogs\n| take 5' };
    assert.deepStrictEqual(parseArgument(undefined), expected);
    assert.deepStrictEqual(parseArgument(editor.document.uri), expected);
  });

  it('nothing from the palette is the palette, with the active editor when there is one', () => {
    assert.deepStrictEqual(parseArgument(undefined), { kind: 'palette', editor: undefined });
    const editor = fakeEditor('/work/hunt.kql', QUERIES, [4, 3, 4, 3]);
    fake.activeTextEditor = editor;
    assert.deepStrictEqual(parseArgument(undefined), { kind: 'palette', editor });
    assert.strictEqual(documentUriOf(parseArgument(undefined)), editor.document.uri);
  });

  it('a CodeLens or script argument is a value to narrow', () => {
    fake.activeTextEditor = fakeEditor('/work/hunt.kql', QUERIES, [0, 0, 1, 8]);
    assert.deepStrictEqual(parseArgument({ type: 'User', id: 'megan.bowen@contoso.com' }), {
      kind: 'value',
      value: { type: 'User', id: 'megan.bowen@contoso.com' },
    });
    assert.deepStrictEqual(parseArgument('megan.bowen@contoso.com'), {
      kind: 'value',
      value: 'megan.bowen@contoso.com',
    });
  });

  it('Run Query runs the selected text, a given query, or the block under the cursor', async () => {
    fake.activeTextEditor = fakeEditor('/work/hunt.kql', QUERIES, [0, 0, 1, 8]);
    const selected = await requestFrom(parseArgument(undefined));
    assert.strictEqual(selected?.query, 'SigninLogs\n| take 5');
    assert.strictEqual(selected?.title, 'hunt.kql (selection)');

    const given = await requestFrom(parseArgument({ query: 'print 1', title: 'Evidence: sign-ins' }));
    assert.deepStrictEqual(given, { query: 'print 1', title: 'Evidence: sign-ins' });

    fake.activeTextEditor = fakeEditor('/work/hunt.kql', QUERIES, [5, 2, 5, 2]);
    const block = await requestFrom(parseArgument(undefined));
    assert.strictEqual(
      block?.query,
      'let TargetUpn = "megan.bowen@contoso.com";\nSigninLogs\n| where UserPrincipalName == TargetUpn',
    );
    assert.strictEqual(block?.title, 'hunt.kql:4');
  });

  it('Run Query from the palette without a KQL editor says what to open', async () => {
    assert.strictEqual(await requestFrom(parseArgument(undefined)), undefined);
    assert.match(fake.messages[0]?.message ?? '', /Open a \.kql file/);
  });

  it('Copy Query takes a History node or { historyId }, and asks for one from the palette', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-adapter-history-'));
    try {
      const history = new QueryHistory({ dir, storeResults: () => false });
      const entry = await history.add({
        ranAt: '2026-11-20T10:00:00Z',
        query: 'SigninLogs | take 5',
        title: 'hunt.kql:1',
        backend: 'local',
        timeRange: '',
        durationMs: 3,
      });
      const services = { history } as unknown as AuthoringServices;
      await copyHistoryQuery.run(services, parseArgument(new HistoryNode(entry)));
      assert.strictEqual(fake.clipboard.text, 'SigninLogs | take 5');
      fake.clipboard.text = '';
      await copyHistoryQuery.run(services, parseArgument({ historyId: entry.id }));
      assert.strictEqual(fake.clipboard.text, 'SigninLogs | take 5');
      await assert.rejects(
        async () => copyHistoryQuery.run(services, parseArgument(undefined)),
        /Pick a run in the History view/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registerCommands hands each command its parsed argument and reports a failure under its title', async () => {
    const context = createExtensionContext();
    const seen: CommandArgument[] = [];
    const probe = 'sentinelWorkbench.showLog' as CommandId;
    registerCommands({ extension: context } as FeatureContext, undefined, [
      {
        id: probe,
        title: 'Probe',
        run: (_s, arg) => {
          seen.push(arg);
          if (arg.kind === 'value') throw new Error('bad value');
        },
      },
    ]);
    const uri = Uri.file('/work/rules/spray.yaml');
    await fake.executeCommand(probe, uri);
    await fake.executeCommand(probe);
    await fake.executeCommand(probe, { nope: true });
    assert.deepStrictEqual(
      seen.map((a) => a.kind),
      ['uri', 'palette', 'value'],
    );
    assert.ok(
      fake.messages.some((m) => m.level === 'error' && m.message === 'Probe: bad value'),
      JSON.stringify(fake.messages),
    );
    disposeContext(context);
  });
});
