// Detection tests in the editor, against the fake vscode and the real child process (dist/detections-worker.js):
// the Testing view lists the sample tests as file → cases and runs them; a failure carries the failures, a link
// to the actual rows and an expected/actual diff. The rule CodeLens and rule lint are tested in the real host
// (test/host/suite/detections.test.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { DetectionTestController } from '../../src/extension/detections/testController';
import { DetectionsWorker } from '../../src/extension/detections/worker';
import * as detectionFiles from '../../src/extension/detections/detectionFiles';
import { silentLogger } from '../../src/core/types';
import { activate } from '../../src/extension/extension';
import {
  createExtensionContext,
  disposeContext,
  fake,
  FakeTestItem,
  TestRunRequest,
  testRuns,
  workspace as fakeWorkspace,
} from './support/fakeVscode';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'detections-worker.js');
const SAMPLE_TESTS = path.join(ROOT, 'sample', 'tests');

describe('detection tests in the editor (adapter)', function () {
  this.timeout(60_000);
  let worker: DetectionsWorker;
  let shown: { key: string; title: string; rows: number }[];
  let controller: DetectionTestController;
  const findFiles = fakeWorkspace.findFiles;
  let files: string[] = [];

  before(function () {
    if (!fs.existsSync(WORKER)) this.skip();
  });
  beforeEach(() => {
    fake.reset();
    testRuns.length = 0;
    shown = [];
    worker = new DetectionsWorker(WORKER, silentLogger);
    const panels = {
      show: (key: string, title: string) => ({
        showResult: (r: { rows: unknown[] }) => shown.push({ key, title, rows: r.rows.length }),
      }),
    };
    files = fs
      .readdirSync(SAMPLE_TESTS)
      .filter((f) => f.endsWith('.test.yaml'))
      .map((f) => path.join(SAMPLE_TESTS, f));
    (fakeWorkspace as { findFiles: unknown }).findFiles = async () => files.map((f) => vscode.Uri.file(f));
    controller = new DetectionTestController(
      worker,
      panels as never,
      () => undefined,
      silentLogger,
      () => detectionFiles,
    );
  });
  afterEach(() => {
    controller.dispose();
    worker.dispose();
    (fakeWorkspace as { findFiles: unknown }).findFiles = findFiles;
  });

  const items = () => {
    const out: FakeTestItem[] = [];
    (controller.controller.items as unknown as { forEach(cb: (i: FakeTestItem) => void): void }).forEach((i) =>
      out.push(i),
    );
    return out;
  };
  const runAll = async (request = new TestRunRequest()) => {
    const profile = (
      controller.controller as unknown as {
        profiles: { runHandler: (r: unknown, t: unknown) => Promise<void>; supportsContinuousRun?: boolean }[];
      }
    ).profiles[0];
    assert.strictEqual(profile.supportsContinuousRun, true);
    await profile.runHandler(request, new vscode.CancellationTokenSource().token);
    return testRuns[testRuns.length - 1];
  };

  it('lists the sample test files with their cases and runs them all green', async () => {
    await controller.controller.resolveHandler!(undefined);
    const spray = items().find((i) => i.label === 'password-spray.test.yaml')!;
    assert.ok(
      spray,
      items()
        .map((i) => i.label)
        .join(', '),
    );
    const cases: string[] = [];
    spray.children.forEach((c) => cases.push(`${c.label}@${c.range!.start.line}`));
    assert.deepStrictEqual(cases.slice(0, 2), [
      "spray from 192.0.2.66 followed by megan's sign-in fires@5",
      'a spray that no account survived stays quiet@21',
    ]);
    const run = await runAll();
    assert.ok(run.ended);
    const passed = run.events.filter((e) => e.kind === 'passed');
    const total = items().reduce((n, i) => n + i.children.size, 0);
    assert.ok(total >= 10);
    assert.strictEqual(
      passed.length,
      total,
      JSON.stringify(run.events.filter((e) => e.kind !== 'passed' && e.kind !== 'started' && e.kind !== 'enqueued')),
    );
    assert.ok(passed.every((e) => typeof e.duration === 'number'));
  });

  it('a failing case shows what differed, a link to its actual rows and an expected/actual diff', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-dt-adapter-'));
    const test = path.join(dir, 'broken.test.yaml');
    fs.writeFileSync(
      test,
      `rule: ${JSON.stringify(path.join(ROOT, 'sample', 'rules', 'identity', 'password-spray.yaml'))}
now: 2026-11-18T03:00:00Z
cases:
  - name: expects silence but the spray fires
    tables:
      SigninLogs: ${JSON.stringify(path.join(SAMPLE_TESTS, 'fixtures', 'spray-signins.jsonl'))}
    expect:
      alerts: 0
  - name: not run
    expect: {alerts: 0}
`,
    );
    files = [test];
    await controller.controller.resolveHandler!(undefined);
    const [file] = items();
    let first: FakeTestItem | undefined;
    file.children.forEach((c) => {
      first ??= c;
    });
    const run = await runAll(new TestRunRequest([first!]));
    const failed = run.events.find((e) => e.kind === 'failed')!;
    assert.strictEqual(failed.id, first!.id);
    assert.ok(!run.events.some((e) => e.id.endsWith('#not run') && e.kind !== 'enqueued'));
    const [details, diff] = failed.messages!;
    const text = (details.message as { value: string }).value;
    assert.match(text, /expected 0 alerts, got 1/);
    assert.match(
      text,
      /\[Open the actual rows \(1\) in the results panel\]\(command:sentinelWorkbench\.showDetectionTestRows\?/,
    );
    assert.strictEqual(details.contextValue, 'sentinelWorkbench:detectionResult');
    assert.strictEqual(JSON.parse(diff.expectedOutput!).alerts, 0);
    assert.strictEqual(JSON.parse(diff.actualOutput!).alerts, 1);
    assert.strictEqual(details.location!.uri.fsPath, test);
    assert.ok(controller.showActualRows(first!.id));
    assert.deepStrictEqual(
      shown.map((s) => [s.title, s.rows]),
      [['High_CredentialAccess_T1110 — expects silence but the spray fires', 1]],
    );
  });
});

describe('Create test… (adapter, through activate)', () => {
  it('writes a test and one-row fixtures beside the rule, and leaves an existing test alone', async () => {
    fake.reset();
    const context = createExtensionContext({ extensionPath: ROOT });
    activate(context);
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-create-test-'));
      const rule = path.join(dir, 'inbox-forwarding.yaml');
      fs.copyFileSync(path.join(ROOT, 'sample', 'rules', 'email', 'inbox-forwarding.yaml'), rule);
      await vscode.commands.executeCommand('sentinelWorkbench.createDetectionTest', vscode.Uri.file(rule));
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), [
        'inbox-forwarding.fixtures',
        'inbox-forwarding.test.yaml',
        'inbox-forwarding.yaml',
      ]);
      const row = JSON.parse(
        fs.readFileSync(path.join(dir, 'inbox-forwarding.fixtures', 'CloudAppEvents.jsonl'), 'utf8'),
      );
      assert.ok('RawEventData' in row && 'AccountObjectId' in row);
      assert.match(
        fake.messages.map((m) => m.message).join('\n'),
        /Created inbox-forwarding\.test\.yaml with 1 fixture file/,
      );
      fs.writeFileSync(path.join(dir, 'inbox-forwarding.test.yaml'), '# mine\n');
      await vscode.commands.executeCommand('sentinelWorkbench.createDetectionTest', vscode.Uri.file(rule));
      assert.strictEqual(fs.readFileSync(path.join(dir, 'inbox-forwarding.test.yaml'), 'utf8'), '# mine\n');
      assert.match(fake.messages.map((m) => m.message).join('\n'), /already exists; it was left as it is/);
    } finally {
      disposeContext(context);
    }
  });
});
