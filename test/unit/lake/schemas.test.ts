// Built-in schemas: a table the product writes keeps every column its documented reference has.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { builtinSchema } from '../../../src/core/lake/schemas';
import { TableWriter } from '../../../src/core/lake/generateWriter';
import { rows } from '../kql/helpers';

describe('lake: built-in schemas', () => {
  it('the product tables carry every documented column of the same table (Timestamp, DeviceId, …)', () => {
    const cloudApp = builtinSchema('CloudAppEvents')!;
    assert.equal(cloudApp.Timestamp, 'datetime');
    assert.equal(cloudApp.ApplicationId, 'int');
    assert.equal(builtinSchema('AlertEvidence')!.DeviceId, 'string');
    assert.equal(builtinSchema('LAQueryLogs')!.ResponseCode, 'int');
    assert.equal(builtinSchema('NoSuchTable_CL'), undefined);
  });

  it('the Defender XDR sign-in tables hunting queries read have their documented columns', async () => {
    assert.equal(builtinSchema('AADSignInEventsBeta')!.RiskLevelDuringSignIn, 'int');
    assert.equal(builtinSchema('AADSpnSignInEventsBeta')!.IsManagedIdentity, 'bool');
    const q =
      'AADSignInEventsBeta | where ErrorCode == 0 and RiskLevelDuringSignIn in (50, 100) | project AccountObjectId, IPAddress, Timestamp' +
      ' | join (AADSpnSignInEventsBeta | project ServicePrincipalName, IPAddress, Country) on IPAddress | count';
    assert.deepEqual(await rows(q), [[0]]);
  });

  it('documented id columns are strings, so a UEBA record joins the sign-in it came from; Defender identity columns exist', async () => {
    assert.equal(builtinSchema('BehaviorAnalytics')!.SourceRecordId, 'string');
    assert.equal(builtinSchema('AzureDevOpsAuditing')!.ActorUserId, 'string');
    assert.equal(builtinSchema('WireData')!.ReceivedBytes, 'long');
    assert.equal(builtinSchema('IdentityInfo')!.EmailAddress, 'string');
    assert.equal(builtinSchema('IdentityInfo')!.AccountUPN, 'string', 'the Sentinel columns stay');
    assert.equal(builtinSchema('CloudAppEvents')!.ISP, 'string');
    const q =
      'BehaviorAnalytics | join (datatable(_ItemId:string)["x"]) on $left.SourceRecordId == $right._ItemId | count' +
      ' | union (IdentityInfo | where EmailAddress endswith "@contoso.com" | distinct OnPremSid, CloudSid, GivenName, Surname | count)' +
      ' | union (WireData | summarize sum(ReceivedBytes), sum(SentBytes) | count)';
    assert.deepEqual(await rows(q), [[0], [0], [1]]);
  });

  it('demo rows of a Defender table get Timestamp from TimeGenerated', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-schema-'));
    try {
      const w = new TableWriter(dir, 'CloudAppEvents');
      w.write({ TimeGenerated: '2026-11-20T10:00:00Z', ActionType: 'FileDownloaded' });
      w.close();
      const row = JSON.parse(fs.readFileSync(w.file, 'utf8').trim());
      assert.equal(row.Timestamp, '2026-11-20T10:00:00Z');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
