// `swb incidents` on a demo lake and against a loopback Sentinel workspace.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { generateDemoLake } from '../../../src/core/lake/generate';
import { FakeAzure, startFakeAzure, TOKEN, WS_ID } from './azureServer';

function io(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  const out = { stdout: '', stderr: '' };
  const value: CliIO = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, cwd };
  return { io: value, out };
}

describe('swb incidents', function () {
  this.timeout(60000);
  let dir: string;
  let fake: FakeAzure;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-cli-incidents-'));
    await generateDemoLake({ out: path.join(dir, 'lake') });
    fake = await startFakeAzure();
  });
  after(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the lake incidents newest first as JSON, filtered by severity and status', async () => {
    const { io: cli, out } = io({}, dir);
    assert.strictEqual(
      await main(['incidents', '--severity', 'high,medium', '--status', 'New', '--format', 'json'], cli),
      0,
      out.stderr,
    );
    const page = JSON.parse(out.stdout);
    assert.ok(page.incidents.length >= 1);
    for (const i of page.incidents) {
      assert.ok(['High', 'Medium'].includes(i.severity));
      assert.strictEqual(i.status, 'New');
    }
    const times = page.incidents.map((i: { createdTime: string }) => Date.parse(i.createdTime));
    assert.deepStrictEqual(
      times,
      [...times].sort((a: number, b: number) => b - a),
    );
  });

  it('prints a table and a page token for the next page', async () => {
    const { io: cli, out } = io();
    assert.strictEqual(await main(['incidents', '--lake', path.join(dir, 'lake'), '--top', '3'], cli), 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.match(lines[0], /^#\s+Severity\s+Status\s+Owner\s+Created\s+Title$/);
    assert.strictEqual(lines.length, 5);
    const token = /--page-token (\S+)/.exec(lines[4])?.[1];
    assert.ok(token);
    const next = io();
    assert.strictEqual(
      await main(['incidents', '--lake', path.join(dir, 'lake'), '--top', '3', '--page-token', token!], next.io),
      0,
    );
    assert.notStrictEqual(next.out.stdout.split('\n')[1], lines[1]);
  });

  it('rejects bad input with exit code 2 and one line', async () => {
    for (const args of [
      ['--severity', 'critical'],
      ['--top', '0'],
      ['--format', 'xml'],
      ['--lake', 'a', '--azure', WS_ID],
      ['--azure', '/subscriptions/x'],
    ]) {
      const { io: cli, out } = io({}, dir);
      assert.strictEqual(await main(['incidents', ...args], cli), 2, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stderr, /^error: .+\n$/);
    }
  });

  it('lists a Sentinel workspace through ARM with SWB_ACCESS_TOKEN and endpoint overrides', async () => {
    const env = { SWB_ACCESS_TOKEN: TOKEN, SWB_ARM_ENDPOINT: fake.url, SWB_LOGS_ENDPOINT: `${fake.url}/v1` };
    const { io: cli, out } = io(env);
    assert.strictEqual(
      await main(['incidents', '--azure', WS_ID, '--severity', 'High', '--top', '2', '--format', 'json'], cli),
      0,
      out.stderr,
    );
    const page = JSON.parse(out.stdout);
    assert.deepStrictEqual(
      page.incidents.map((i: { number: number }) => i.number),
      [1, 2],
    );
    assert.match(
      fake.requests.find((r) => r.path.endsWith('/incidents'))!.query.get('$filter') ?? '',
      /properties\/severity eq 'High'/,
    );
  });

  it('says which role is missing, in one line, when the workspace answers 403', async () => {
    const env = { SWB_ACCESS_TOKEN: TOKEN, SWB_ARM_ENDPOINT: fake.url };
    const { io: cli, out } = io(env);
    const other = WS_ID.replace('soc-rg', 'forbidden-rg');
    const code = await main(['incidents', '--azure', other], cli);
    assert.strictEqual(code, 1);
    assert.match(
      out.stderr,
      /^error: You need the Microsoft Sentinel Reader role on workspace soc-ws to list incidents \(403\)\. \(AuthorizationFailed: .*\)\n$/,
    );
  });

  it('refuses plain http to a non-loopback ARM endpoint', async () => {
    const { io: cli, out } = io({ SWB_ACCESS_TOKEN: TOKEN, SWB_ARM_ENDPOINT: 'http://management.example.com' });
    assert.strictEqual(await main(['incidents', '--azure', WS_ID], cli), 2);
    assert.match(out.stderr, /only allowed for loopback hosts/);
  });
});
