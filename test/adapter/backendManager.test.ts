// BackendManager: one active backend per kind, created on first use; a failed start does not stick;
// switching kinds disposes the old one; the lake folder follows settings only in trusted workspaces.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SentinelBackend } from '../../src/core/backends/types';
import { silentLogger } from '../../src/core/types';
import { BackendManager } from '../../src/extension/backendManager';
import { createExtensionContext, disposeContext, fake } from './support/fakeVscode';

const ROOT = path.resolve(__dirname, '..', '..');

function stubBackend(name: string, disposed: string[]): SentinelBackend {
  return { kind: 'azure', dispose: () => disposed.push(name) } as unknown as SentinelBackend;
}

describe('BackendManager', () => {
  let context: ReturnType<typeof createExtensionContext>;
  let manager: BackendManager;
  let dir: string;

  beforeEach(() => {
    fake.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-backends-'));
    fake.setWorkspaceFolders(dir);
    context = createExtensionContext({ extensionPath: ROOT });
    manager = new BackendManager(context, silentLogger);
  });
  afterEach(() => {
    manager.dispose();
    disposeContext(context);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a failed start does not stick: the next call starts again and succeeds', async () => {
    fake.settings.set('sentinelWorkbench.backend', 'azure');
    let attempts = 0;
    manager.azureFactory = async () => {
      attempts++;
      if (attempts === 1) throw new Error('sign-in was cancelled');
      return stubBackend('second', []);
    };
    await assert.rejects(manager.current(), /sign-in was cancelled/);
    await new Promise((r) => setImmediate(r));
    const backend = await manager.current();
    assert.strictEqual(attempts, 2);
    assert.ok(backend);
  });

  it('creates the backend once and shares it between callers', async () => {
    fake.settings.set('sentinelWorkbench.backend', 'azure');
    let attempts = 0;
    manager.azureFactory = async () => {
      attempts++;
      return stubBackend('only', []);
    };
    const [a, b] = await Promise.all([manager.current(), manager.current()]);
    assert.strictEqual(a, b);
    assert.strictEqual(attempts, 1);
  });

  it('reset() disposes the active backend, tells listeners and the next call creates a new one', async () => {
    fake.settings.set('sentinelWorkbench.backend', 'azure');
    const disposed: string[] = [];
    let n = 0;
    manager.azureFactory = async () => stubBackend(`b${++n}`, disposed);
    const fired: string[] = [];
    manager.onDidChange((k) => fired.push(k));
    const first = await manager.current();
    manager.reset();
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(disposed, ['b1']);
    assert.deepStrictEqual(fired, ['azure']);
    assert.notStrictEqual(await manager.current(), first);
  });

  it('uses the workspace lake folder, and a configured lakePath only in a trusted workspace', () => {
    fs.mkdirSync(path.join(dir, 'sample', 'lake'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sample', 'lake', 'lake.json'), '{}');
    assert.strictEqual(manager.lakeDir(), path.join(dir, 'sample', 'lake'));
    fake.settings.set('sentinelWorkbench.lakePath', 'elsewhere');
    assert.strictEqual(manager.lakeDir(), path.join(dir, 'elsewhere'));
    fake.isTrusted = false;
    assert.strictEqual(manager.lakeDir(), path.join(dir, 'sample', 'lake'));
  });

  it('without Azure support installed, the Azure backend fails with a clear message', async () => {
    fake.settings.set('sentinelWorkbench.backend', 'azure');
    await assert.rejects(manager.current(), /Azure backend is not available/);
  });
});
