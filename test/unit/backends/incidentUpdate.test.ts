// Working an incident: Sentinel's closing rules, a new SecurityIncident row per change on the lake (latest
// wins, history kept), and ARM PUT with the etag against a loopback ARM server (412 → conflict with their change).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AzureBackend } from '../../../src/core/backends/azure/backend';
import { endpointsFromEnv } from '../../../src/core/backends/azure/config';
import { staticTokenCredential } from '../../../src/core/backends/azure/credentials';
import {
  applyIncidentChange,
  describeIncidentChange,
  IncidentConflictError,
  isIncidentConflict,
  validateIncidentChange,
} from '../../../src/core/backends/incidentUpdate';
import { createLakeBackend } from '../../../src/core/backends/lake';
import type { Incident } from '../../../src/core/backends/types';
import { UserError } from '../../../src/core/errors';
import { generateDemoLake } from '../../../src/core/lake/generate';
import { FakeAzure, startFakeAzure, TOKEN, WS_ID } from './azureServer';

const base: Incident = {
  id: 'i-1',
  number: 7,
  title: 'Password spray',
  severity: 'Medium',
  status: 'New',
  createdTime: '2026-01-01T00:00:00Z',
  alertsCount: 1,
  tactics: [],
  relatedAnalyticRuleIds: [],
};

describe('incident changes follow Sentinel rules', () => {
  it('closing needs a classification, and each classification takes only its own reasons', () => {
    assert.throws(() => validateIncidentChange(base, { status: 'Closed' }), /needs a classification/);
    assert.throws(
      () => validateIncidentChange(base, { close: { classification: 'TruePositive' } }),
      /SuspiciousActivity/,
    );
    assert.throws(
      () => validateIncidentChange(base, { close: { classification: 'TruePositive', reason: 'InaccurateData' } }),
      /needs a classification reason: SuspiciousActivity/,
    );
    assert.throws(
      () => validateIncidentChange(base, { close: { classification: 'BenignPositive', reason: 'SuspiciousActivity' } }),
      /SuspiciousButExpected/,
    );
    assert.throws(
      () => validateIncidentChange(base, { close: { classification: 'Undetermined', reason: 'InaccurateData' } }),
      /takes no classification reason/,
    );
    for (const reason of ['IncorrectAlertLogic', 'InaccurateData'] as const) {
      assert.strictEqual(
        validateIncidentChange(base, { close: { classification: 'FalsePositive', reason } }).status,
        'Closed',
      );
    }
    const ok = validateIncidentChange(base, {
      close: { classification: 'Undetermined', comment: '  not enough data  ' },
    });
    assert.deepStrictEqual(ok.close, { classification: 'Undetermined', reason: undefined, comment: 'not enough data' });
    assert.throws(
      () => validateIncidentChange(base, { close: { classification: 'Undetermined', comment: 'x'.repeat(3001) } }),
      /at most 3,000/,
    );
  });

  it('refuses unknown values, empty changes and changes that change nothing', () => {
    assert.throws(() => validateIncidentChange(base, { severity: 'Critical' as never }), /unknown severity/);
    assert.throws(() => validateIncidentChange(base, {}), /nothing to change/);
    assert.throws(() => validateIncidentChange(base, { severity: 'Medium' }), /already has these values/);
    assert.throws(() => validateIncidentChange(base, { owner: {} }), /needs a user principal name/);
  });

  it('reopening drops the classification; assigning keeps the owner whole', () => {
    const closed = applyIncidentChange(
      base,
      { status: 'Closed', close: { classification: 'FalsePositive', reason: 'InaccurateData' } },
      '2026-01-02T00:00:00Z',
    );
    assert.strictEqual(closed.classification, 'FalsePositive');
    const reopened = applyIncidentChange(closed, { status: 'Active' }, '2026-01-03T00:00:00Z');
    assert.strictEqual(reopened.classification, undefined);
    assert.strictEqual(reopened.classificationReason, undefined);
    const assigned = applyIncidentChange(
      base,
      { owner: { userPrincipalName: 'alice@contoso.com', assignedTo: 'Alice', objectId: 'o-1' } },
      't',
    );
    assert.strictEqual(assigned.owner, 'alice@contoso.com');
    assert.deepStrictEqual(assigned.ownerDetails, {
      userPrincipalName: 'alice@contoso.com',
      assignedTo: 'Alice',
      objectId: 'o-1',
    });
    assert.strictEqual(
      describeIncidentChange({
        owner: { userPrincipalName: 'a@b.c' },
        close: { classification: 'TruePositive', reason: 'SuspiciousActivity' },
      }),
      'assigned to a@b.c, closed as TruePositive (SuspiciousActivity)',
    );
  });
});

describe('incident changes on the local lake', function () {
  this.timeout(60000);
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-incident-update-'));
    await generateDemoLake({ out: path.join(dir, 'lake') });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends a new SecurityIncident row per change; the latest wins and earlier versions stay', async () => {
    const lakeDir = path.join(dir, 'lake');
    const backend = createLakeBackend(lakeDir, { author: 'analyst@contoso.com' });
    const target = (await backend.listIncidents({ status: ['New'] }, { top: 1 })).incidents[0];
    assert.ok(target && target.etag, 'a New incident with a version tag');
    const file = path.join(lakeDir, 'SecurityIncident.jsonl');
    const linesBefore = fs.readFileSync(file, 'utf8').trim().split('\n').length;

    const assigned = await backend.updateIncident(
      target.id,
      { owner: { userPrincipalName: 'analyst@contoso.com', assignedTo: 'Analyst' }, status: 'Active' },
      { etag: target.etag },
    );
    assert.strictEqual(assigned.owner, 'analyst@contoso.com');
    assert.strictEqual(assigned.status, 'Active');
    assert.notStrictEqual(assigned.etag, target.etag);

    const closed = await backend.updateIncident(
      target.id,
      { close: { classification: 'BenignPositive', reason: 'SuspiciousButExpected', comment: 'Travel confirmed.' } },
      { etag: assigned.etag },
    );
    assert.strictEqual(closed.status, 'Closed');
    assert.strictEqual(closed.classification, 'BenignPositive');
    assert.strictEqual(closed.classificationReason, 'SuspiciousButExpected');
    assert.strictEqual(closed.classificationComment, 'Travel confirmed.');

    // A fresh reader (another process) sees the latest version, once in the list.
    const again = createLakeBackend(lakeDir);
    const listed = (await again.listIncidents({}, { top: 100 })).incidents.filter((i) => i.id === target.id);
    assert.strictEqual(listed.length, 1);
    assert.strictEqual(listed[0].status, 'Closed');
    assert.strictEqual(listed[0].owner, 'analyst@contoso.com');
    // History: every version is a row.
    const rows = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.strictEqual(rows.length, linesBefore + 2);
    const versions = rows.filter((r) => r.IncidentName === target.id).map((r) => r.Status);
    assert.deepStrictEqual(versions, ['New', 'Active', 'Closed']);
    const last = rows[rows.length - 1];
    assert.strictEqual(last.ModifiedBy, 'analyst@contoso.com');
    assert.ok(typeof last.ClosedTime === 'string');
    const stats = await again.runQuery(
      `SecurityIncident | where IncidentName == '${target.id}' | summarize Versions = count()`,
    );
    assert.strictEqual(stats.rows[0][0], 3);
  });

  it('a change based on an older version is a conflict that carries the current one; bad changes write nothing', async () => {
    const lakeDir = path.join(dir, 'lake');
    const mine = createLakeBackend(lakeDir);
    const theirs = createLakeBackend(lakeDir);
    const target = (await mine.listIncidents({ status: ['New'] }, { top: 1 })).incidents[0];
    await theirs.updateIncident(target.id, { severity: target.severity === 'High' ? 'Low' : 'High' });
    const file = path.join(lakeDir, 'SecurityIncident.jsonl');
    const size = fs.statSync(file).size;
    const error = await mine.updateIncident(target.id, { status: 'Active' }, { etag: target.etag }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof IncidentConflictError, String(error));
    assert.notStrictEqual(error.theirs.severity, target.severity);
    await assert.rejects(mine.updateIncident(target.id, { status: 'Closed' }), UserError);
    assert.strictEqual(fs.statSync(file).size, size, 'nothing appended');
    // Retrying on their version works.
    const retried = await mine.updateIncident(target.id, { status: 'Active' }, { etag: error.theirs.etag });
    assert.strictEqual(retried.status, 'Active');
    assert.strictEqual(retried.severity, error.theirs.severity);
  });
});

describe('incident changes on Azure (ARM PUT with the etag)', function () {
  this.timeout(20000);
  let fake: FakeAzure;
  let backend: AzureBackend;
  const id = '00000002-aaaa-bbbb-cccc-dddddddddddd';

  before(async () => {
    fake = await startFakeAzure();
    backend = new AzureBackend({
      workspaceResourceId: WS_ID,
      credential: staticTokenCredential(TOKEN),
      endpoints: endpointsFromEnv({ SWB_ARM_ENDPOINT: fake.url, SWB_LOGS_ENDPOINT: `${fake.url}/v1` }),
    });
  });
  after(() => fake.close());

  it('PUTs the writable properties with the etag as If-Match and returns the new version', async () => {
    const before = (await backend.getIncident(id)).incident;
    assert.strictEqual(before.etag, '"1"');
    const after = await backend.updateIncident(
      id,
      {
        owner: { userPrincipalName: 'bob@contoso.com', assignedTo: 'Bob', objectId: 'b-1' },
        close: {
          classification: 'FalsePositive',
          reason: 'IncorrectAlertLogic',
          comment: 'Rule fires on the scanner.',
        },
      },
      { etag: before.etag },
    );
    const put = fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/incidents/${id}`)).pop()!;
    assert.strictEqual(put.ifMatch, '"1"');
    const body = put.body as { etag: string; properties: Record<string, unknown> };
    assert.strictEqual(body.etag, '"1"');
    assert.deepStrictEqual(
      { ...body.properties, firstActivityTimeUtc: undefined, lastActivityTimeUtc: undefined },
      {
        title: 'Incident 2',
        severity: 'Medium',
        status: 'Closed',
        firstActivityTimeUtc: undefined,
        lastActivityTimeUtc: undefined,
        owner: { objectId: 'b-1', userPrincipalName: 'bob@contoso.com', assignedTo: 'Bob' },
        classification: 'FalsePositive',
        classificationReason: 'IncorrectAlertLogic',
        classificationComment: 'Rule fires on the scanner.',
      },
    );
    assert.strictEqual(after.status, 'Closed');
    assert.strictEqual(after.owner, 'bob@contoso.com');
    assert.notStrictEqual(after.etag, before.etag);
  });

  it('a 412 on a stale etag becomes a conflict showing their change; retrying on their etag succeeds', async () => {
    const id4 = '00000004-aaaa-bbbb-cccc-dddddddddddd';
    const seen = (await backend.getIncident(id4)).incident;
    fake.changeIncident(id4, {
      status: 'Active',
      owner: { userPrincipalName: 'carol@contoso.com', assignedTo: 'Carol' },
    });
    // The read-before-write notices the newer version without sending a PUT.
    const early = await backend.updateIncident(id4, { severity: 'High' }, { etag: seen.etag }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(early instanceof IncidentConflictError);
    assert.strictEqual(early.theirs.owner, 'carol@contoso.com');
    // A change landing between our read and our PUT: ARM answers 412.
    const puts = () => fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/incidents/${id4}`)).length;
    const realRequest = backend.arm.request.bind(backend.arm);
    let raced = false;
    backend.arm.request = (async (req: Parameters<typeof realRequest>[0]) => {
      if (req.method === 'PUT' && !raced) {
        raced = true;
        fake.changeIncident(id4, { severity: 'Low' });
      }
      return realRequest(req);
    }) as typeof backend.arm.request;
    const before = puts();
    const raceError = await backend.updateIncident(id4, { severity: 'High' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(raceError instanceof IncidentConflictError, String(raceError));
    assert.strictEqual(puts(), before + 1);
    assert.match(raceError.message, /Someone else changed incident #4.*severity Medium → Low/);
    assert.strictEqual(raceError.theirs.severity, 'Low');
    const retried = await backend.updateIncident(id4, { severity: 'High' }, { etag: raceError.theirs.etag });
    assert.strictEqual(retried.severity, 'High');
    assert.strictEqual(retried.owner, 'carol@contoso.com', 'their owner change is kept');
  });
});

describe('conflicts across bundles', () => {
  it('recognises a conflict thrown by another copy of the class (dist/azure.js, dist/mcp-local.js)', () => {
    const foreign = Object.assign(new Error('Someone else changed incident #4'), {
      name: 'IncidentConflictError',
      theirs: { ...base, id: 'x', number: 4 },
    });
    assert.strictEqual(isIncidentConflict(foreign), true);
    assert.strictEqual(isIncidentConflict(new IncidentConflictError(base)), true);
    assert.strictEqual(isIncidentConflict(new UserError('nope')), false);
    assert.strictEqual(isIncidentConflict(Object.assign(new Error('x'), { name: 'IncidentConflictError' })), false);
  });
});
