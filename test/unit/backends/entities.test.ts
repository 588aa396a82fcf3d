import * as assert from 'assert';
import { analysisTarget, entitiesFromAlertJson, entitiesFromArm } from '../../../src/core/backends/entities';

const ALERT_ENTITIES = JSON.stringify([
  {
    $id: '2',
    Name: 'alice',
    UPNSuffix: 'contoso.com',
    AadUserId: '11111111-2222-3333-4444-555555555555',
    Type: 'account',
  },
  { $id: '3', Url: 'https://login-micros0ft.example/reset', Type: 'url' },
  { $id: '4', Address: '203.0.113.7', Type: 'ip' },
  { $id: '5', HostName: 'WS-042', DnsDomain: 'contoso.local', Type: 'host' },
  { $id: '6', MailboxPrimaryAddress: 'alice@contoso.com', DisplayName: 'Alice', Type: 'mailbox' },
  { $id: '7', Algorithm: 'SHA256', Value: 'AB12CD', Type: 'filehash' },
  {
    $id: '8',
    Name: 'invoice.exe',
    Directory: 'C:\\Users\\alice\\Downloads',
    FileHashes: [{ $ref: '7' }],
    Type: 'file',
  },
  {
    $id: '9',
    ProcessId: '4242',
    CommandLine: 'invoice.exe /q',
    ImageFile: { $ref: '8' },
    Host: { $ref: '5' },
    Type: 'process',
  },
  { $id: '10', AppId: 20893, Name: 'Microsoft Exchange Online', InstanceName: 'Exchange', Type: 'cloud-application' },
  {
    $id: '11',
    NetworkMessageId: 'ABC-123',
    Subject: 'Reset your password',
    Sender: 'it@evil.example',
    Recipient: 'alice@contoso.com',
    Type: 'mailMessage',
  },
  { $ref: '2' },
  { $id: '12', DomainName: 'evil.example', Type: 'dns' },
]);

describe('entity extraction from alert JSON', () => {
  it('reads every entity kind with display names a user recognises', () => {
    const { entities, skipped } = entitiesFromAlertJson(ALERT_ENTITIES);
    assert.strictEqual(skipped, 0);
    const byKind = Object.fromEntries(entities.map((e) => [e.kind, e]));
    assert.strictEqual(byKind.Account.displayName, 'alice@contoso.com');
    assert.strictEqual(byKind.Account.key, 'account:alice@contoso.com');
    assert.strictEqual(byKind.Url.displayName, 'https://login-micros0ft.example/reset');
    assert.strictEqual(byKind.Ip.displayName, '203.0.113.7');
    assert.strictEqual(byKind.Host.displayName, 'WS-042.contoso.local');
    assert.strictEqual(byKind.Mailbox.displayName, 'alice@contoso.com');
    assert.strictEqual(byKind.FileHash.displayName, 'AB12CD');
    assert.strictEqual(byKind.FileHash.key, 'filehash:sha256:ab12cd');
    assert.strictEqual(byKind.File.displayName, 'invoice.exe');
    assert.strictEqual(byKind.Process.displayName, 'invoice.exe (4242)', 'the $ref to the image file is resolved');
    assert.strictEqual(byKind.CloudApplication.displayName, 'Microsoft Exchange Online');
    assert.strictEqual(byKind.MailMessage.displayName, 'Reset your password');
    assert.strictEqual(byKind.Other.displayName, 'evil.example');
    assert.strictEqual(
      entities.filter((e) => e.kind === 'Account').length,
      1,
      'a top-level $ref to the same account is not a duplicate',
    );
    assert.ok(!('$id' in byKind.Account.properties));
  });

  it('skips and counts malformed JSON and unreadable elements instead of failing', () => {
    assert.deepStrictEqual(entitiesFromAlertJson('[{"Type":"account", "Name":'), { entities: [], skipped: 1 });
    assert.deepStrictEqual(entitiesFromAlertJson('{"Type":"ip"}'), { entities: [], skipped: 1 });
    assert.deepStrictEqual(entitiesFromAlertJson(''), { entities: [], skipped: 0 });
    const r = entitiesFromAlertJson(
      JSON.stringify([42, { Name: 'no type' }, { Type: 'ip' }, { Type: 'ip', Address: '10.0.0.1' }, { $ref: '99' }]),
    );
    assert.strictEqual(r.entities.length, 1);
    assert.strictEqual(r.entities[0].displayName, '10.0.0.1');
    assert.strictEqual(r.skipped, 4);
  });

  it('reads accounts that only have an object id or a domain name', () => {
    const { entities } = entitiesFromAlertJson([
      { Type: 'account', AadUserId: 'AAAAAAAA-0000-0000-0000-000000000001' },
      { Type: 'account', Name: 'svc_backup', NTDomain: 'CONTOSO' },
    ]);
    assert.deepStrictEqual(
      entities.map((e) => e.displayName),
      ['AAAAAAAA-0000-0000-0000-000000000001', 'CONTOSO\\svc_backup'],
    );
    assert.deepStrictEqual(analysisTarget(entities[0]), { type: 'User', id: 'AAAAAAAA-0000-0000-0000-000000000001' });
  });

  it('reads the Sentinel ARM entities response (camelCase properties)', () => {
    const { entities, skipped } = entitiesFromArm({
      entities: [
        {
          id: '/x/entities/1',
          name: '1',
          kind: 'Account',
          properties: { accountName: 'bob', upnSuffix: 'contoso.com', aadUserId: 'b0b', friendlyName: 'bob' },
        },
        {
          id: '/x/entities/2',
          name: '2',
          kind: 'Url',
          properties: { url: 'http://evil.example/x', friendlyName: 'http://evil.example/x' },
        },
        { id: '/x/entities/3', name: '3', kind: 'FileHash', properties: { algorithm: 'MD5', hashValue: 'ff00' } },
        { id: '/x/entities/4', name: '4', kind: 'Account' },
      ],
      metaData: [],
    });
    assert.deepStrictEqual(
      entities.map((e) => `${e.kind}:${e.displayName}`),
      ['Account:bob@contoso.com', 'Url:http://evil.example/x', 'FileHash:ff00'],
    );
    assert.strictEqual(skipped, 1);
    assert.deepStrictEqual(analysisTarget(entities[0]), { type: 'User', id: 'bob@contoso.com' });
    assert.deepStrictEqual(analysisTarget(entities[1]), { type: 'Url', id: 'http://evil.example/x' });
    assert.strictEqual(analysisTarget(entities[2]), undefined);
  });
});
