// activate() against the fake vscode: the typed id map in src/extension/commandIds.ts matches package.json,
// palette commands are titled, and disposing the subscriptions unregisters every command. Commands a feature
// needs only internally are contributed too and hidden from the palette (menus.commandPalette `when: false`).
// That activate() registers exactly the contributed commands, each once, is tested in the real host
// (test/host/suite/activation.test.ts), whose registerCommand refuses a second registration.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Commands } from '../../src/extension/commandIds';
import { activate } from '../../src/extension/extension';
import { createExtensionContext, disposeContext, fake } from './support/fakeVscode';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributed: { command: string; title: string; category?: string }[] = manifest.contributes.commands;
const contributedIds = contributed.map((c) => c.command).sort();

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe('command registration (activate)', () => {
  let context: ReturnType<typeof createExtensionContext>;
  let activateMs = 0;

  before(() => {
    fake.reset();
    fake.setWorkspaceFolders(path.join(ROOT, 'sample'));
    context = createExtensionContext({ extensionPath: ROOT });
    const started = performance.now();
    activate(context);
    activateMs = performance.now() - started;
  });

  after(() => {
    console.log(
      `      activate() took ${activateMs.toFixed(1)} ms (fake vscode, sources through tsx; budget checked by bench/activate.js)`,
    );
    disposeContext(context);
  });

  it('commandIds.ts lists exactly the contributed commands', () => {
    assert.deepStrictEqual(sorted(Object.values(Commands) as string[]), contributedIds);
  });

  it('every palette command has the Sentinel category and a title', () => {
    const hidden = new Set(
      (manifest.contributes.menus?.commandPalette ?? [])
        .filter((m: { when?: string }) => m.when === 'false')
        .map((m: { command: string }) => m.command),
    );
    const bad = contributed
      .filter((c) => !hidden.has(c.command) && (c.category !== 'Sentinel' || !c.title?.trim()))
      .map((c) => c.command);
    assert.deepStrictEqual(bad, []);
  });

  it('creates the "Sentinel Workbench" log channel and pushes its registrations to context.subscriptions', () => {
    assert.ok(
      fake.outputChannels.some((c) => c.name === 'Sentinel Workbench'),
      'no "Sentinel Workbench" output channel',
    );
    assert.ok(
      context.subscriptions.length >= contributedIds.length,
      `only ${context.subscriptions.length} subscriptions for ${contributedIds.length} commands`,
    );
  });

  it('Clear Lake Snapshots empties the snapshot folder in the cache and says how much went', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-adapter-cache-'));
    const saved = process.env.SWB_CACHE_DIR;
    process.env.SWB_CACHE_DIR = cache;
    try {
      fs.mkdirSync(path.join(cache, 'lake-snapshots'));
      fs.writeFileSync(path.join(cache, 'lake-snapshots', 'a.swbsnap'), Buffer.alloc(2 ** 20));
      fs.writeFileSync(path.join(cache, 'keep.txt'), 'not a snapshot');
      await fake.executeCommand(Commands.clearLakeSnapshots);
      assert.deepStrictEqual(fs.readdirSync(path.join(cache, 'lake-snapshots')), []);
      assert.ok(fs.existsSync(path.join(cache, 'keep.txt')));
      assert.match(fake.messages.at(-1)?.message ?? '', /Removed 1 lake snapshot\(s\), 1\.0 MB/);
    } finally {
      if (saved === undefined) delete process.env.SWB_CACHE_DIR;
      else process.env.SWB_CACHE_DIR = saved;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('disposing the subscriptions unregisters every command', () => {
    disposeContext(context);
    assert.deepStrictEqual(sorted(fake.commands.keys()), []);
  });
});
