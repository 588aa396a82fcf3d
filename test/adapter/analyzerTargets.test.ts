// What "Analyze Entity" accepts: selections (defanged too), entity nodes, CodeLens arguments, palette input.
import * as assert from 'assert';
import {
  parseAnalyzeArgument,
  selectionLooksLikeEntity,
  targetFromEntity,
  targetFromText,
  validateInput,
} from '../../src/extension/analyzer/targets';

describe('analyze entity targets', () => {
  it('the context-menu key is on for UPNs, URLs, defanged URLs and GUIDs only', () => {
    for (const yes of [
      'megan.bowen@contoso.com',
      'https://evil.example/login',
      'hxxps://evil[.]com/a',
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    ]) {
      assert.strictEqual(selectionLooksLikeEntity(yes), true, yes);
    }
    for (const no of ['SigninLogs', 'where x == 1', '10.0.0.1', '', 'two\nlines@contoso.com', 'a'.repeat(3000)]) {
      assert.strictEqual(selectionLooksLikeEntity(no), false, no);
    }
  });

  it('refangs and normalises text into a user or URL target', () => {
    assert.deepStrictEqual(targetFromText('"Megan.Bowen@Contoso.com"'), {
      type: 'User',
      id: 'megan.bowen@contoso.com',
    });
    assert.deepStrictEqual(targetFromText('hxxps://evil[.]com/login'), { type: 'Url', id: 'https://evil.com/login' });
    assert.deepStrictEqual(targetFromText('3F2504E0-4F89-11D3-9A0C-0305E82C3301'), {
      type: 'User',
      id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    });
    assert.throws(() => targetFromText('10.1.2.3'), /not IP addresses/);
    assert.throws(() => targetFromText('SigninLogs | take 10'), /not a user principal name/);
    assert.strictEqual(validateInput('megan.bowen@contoso.com'), undefined);
    assert.match(validateInput('nope') ?? '', /not a user principal name/);
  });

  it('takes entity nodes (Entity or { entity }) and CodeLens arguments', () => {
    const account = {
      kind: 'Account' as const,
      key: 'account:x',
      displayName: 'Megan Bowen',
      properties: { accountName: 'megan.bowen', upnSuffix: 'contoso.com' },
    };
    assert.deepStrictEqual(parseAnalyzeArgument({ entity: account }).target, {
      type: 'User',
      id: 'megan.bowen@contoso.com',
    });
    assert.deepStrictEqual(parseAnalyzeArgument(account).target, { type: 'User', id: 'megan.bowen@contoso.com' });
    const url = { kind: 'Url' as const, key: 'url:x', displayName: 'hxxp://phish[.]example/x', properties: {} };
    assert.deepStrictEqual(targetFromEntity(url), { type: 'Url', id: 'http://phish.example/x' });
    assert.throws(
      () => parseAnalyzeArgument({ entity: { kind: 'Ip', key: 'ip:1', displayName: '10.0.0.1', properties: {} } }),
      /accounts and URLs; '10.0.0.1' is an Ip entity/,
    );
    assert.deepStrictEqual(parseAnalyzeArgument({ type: 'Url', id: 'https://x.example/a', lookbackDays: 3 }), {
      target: { type: 'Url', id: 'https://x.example/a' },
      lookbackDays: 3,
      incidentId: undefined,
      useSelection: false,
    });
    assert.strictEqual(parseAnalyzeArgument(undefined).useSelection, true);
    assert.strictEqual(
      parseAnalyzeArgument({ scheme: 'file', path: '/x.kql' }).useSelection,
      true,
      'editor/context passes the document URI',
    );
  });
});
