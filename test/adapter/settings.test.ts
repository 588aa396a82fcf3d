// The typed settings module agrees with package.json `contributes.configuration` both ways (key, type, default,
// enum values, bounds), and reads the user's value per call, falling back to the default for a value that does
// not fit the declared type.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  affects,
  read,
  readTrimmed,
  Setting,
  settingId,
  Settings,
  settingsUnder,
  write,
} from '../../src/extension/settings';
import { ConfigurationTarget, fake, workspace } from './support/fakeVscode';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const configuration = manifest.contributes.configuration;
const declared: Record<
  string,
  { type: string; default: unknown; enum?: unknown[]; minimum?: number; maximum?: number }
> = Object.assign(
  {},
  ...(Array.isArray(configuration) ? configuration : [configuration]).map((c: { properties: object }) => c.properties),
);
const known: Setting<unknown>[] = Object.values(Settings);

describe('settings module (src/extension/settings.ts)', () => {
  beforeEach(() => fake.reset());

  it('knows every setting package.json contributes', () => {
    const missing = Object.keys(declared).filter((id) => !known.some((s) => settingId(s) === id));
    assert.deepStrictEqual(missing, [], 'contributed in package.json but not in the settings module');
  });

  it('knows no setting package.json does not contribute, and each key once', () => {
    const ids = known.map(settingId);
    assert.deepStrictEqual(
      ids.filter((id) => !(id in declared)),
      [],
      'in the settings module but not contributed',
    );
    assert.deepStrictEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });

  for (const setting of known) {
    it(`${settingId(setting)} has the type, default, values and bounds package.json declares`, () => {
      const d = declared[settingId(setting)];
      assert.ok(d, 'not contributed');
      assert.strictEqual(setting.type, d.type);
      assert.deepStrictEqual(setting.default, d.default);
      assert.deepStrictEqual(setting.values, d.enum);
      assert.strictEqual(setting.minimum, d.minimum);
      assert.strictEqual(setting.maximum, d.maximum);
    });
  }

  it('reads the default when nothing is set, and the user value on the next call', () => {
    assert.strictEqual(read(Settings.queryMaxRows), 100_000);
    fake.settings.set('sentinelWorkbench.query.maxRows', 500);
    assert.strictEqual(read(Settings.queryMaxRows), 500);
    fake.settings.set('sentinelWorkbench.incidents.groupBy', 'status');
    assert.strictEqual(read(Settings.incidentsGroupBy), 'status');
    fake.settings.set('sentinelWorkbench.kusto.clusters', ['https://help.kusto.windows.net/Samples']);
    assert.deepStrictEqual(read(Settings.kustoClusters), ['https://help.kusto.windows.net/Samples']);
  });

  it('a value of the wrong type or outside an enum reads as the default; a number outside the bounds as the nearest bound', () => {
    fake.settings.set('sentinelWorkbench.query.timeoutSeconds', 'soon');
    assert.strictEqual(read(Settings.queryTimeoutSeconds), 120);
    fake.settings.set('sentinelWorkbench.query.timeoutSeconds', 1);
    assert.strictEqual(read(Settings.queryTimeoutSeconds), 5);
    fake.settings.set('sentinelWorkbench.analyzer.maxUserWindowDays', 30);
    assert.strictEqual(read(Settings.analyzerMaxUserWindowDays), 7);
    fake.settings.set('sentinelWorkbench.backend', 'cloud');
    assert.strictEqual(read(Settings.backend), 'local');
    fake.settings.set('sentinelWorkbench.history.saveResults', 'no');
    assert.strictEqual(read(Settings.historySaveResults), true);
    fake.settings.set('sentinelWorkbench.kusto.clusters', 'https://help.kusto.windows.net/Samples');
    assert.deepStrictEqual(read(Settings.kustoClusters), []);
  });

  it('readTrimmed treats a blank value as the default', () => {
    fake.settings.set('sentinelWorkbench.azure.armEndpoint', '   ');
    assert.strictEqual(readTrimmed(Settings.azureArmEndpoint), 'https://management.azure.com');
    fake.settings.set('sentinelWorkbench.azure.armEndpoint', ' https://management.usgovcloudapi.net ');
    assert.strictEqual(readTrimmed(Settings.azureArmEndpoint), 'https://management.usgovcloudapi.net');
  });

  it('write stores the value under the full id and a change event names it', async () => {
    const seen: boolean[] = [];
    const sub = workspace.onDidChangeConfiguration((e: Parameters<typeof affects>[0]) =>
      seen.push(affects(e, Settings.incidentsGroupBy)),
    );
    await write(Settings.incidentsGroupBy, 'none', ConfigurationTarget.Global);
    await write(Settings.incidentsPageSize, 100, ConfigurationTarget.Global);
    sub.dispose();
    assert.strictEqual(fake.settings.get('sentinelWorkbench.incidents.groupBy'), 'none');
    assert.deepStrictEqual(seen, [true, false]);
  });

  it('settingsUnder lists a group (the Azure connection settings)', () => {
    const ids = settingsUnder('azure').map(settingId);
    assert.ok(ids.includes('sentinelWorkbench.azure.workspaceResourceId'));
    assert.ok(
      ids.every((id) => id.startsWith('sentinelWorkbench.azure.')),
      ids.join(', '),
    );
  });
});
