import * as assert from 'assert';
import fc from 'fast-check';
import { detectEntity, normalizeUrl, refang, validateAnalysisTarget } from '../../../src/core/entities';
import { UserError } from '../../../src/core/errors';

describe('entities: refanging', () => {
  it('undoes hxxp, [.], [:] and [at]', () => {
    assert.strictEqual(refang('hxxps://evil[.]com/login'), 'https://evil.com/login');
    assert.strictEqual(refang('hXXp[:]//bad(.)example[.]org'), 'http://bad.example.org');
    assert.strictEqual(refang('user[at]contoso[dot]com'), 'user@contoso.com');
    assert.strictEqual(refang('  "hxxps[://]c0ntoso[.]com/payroll"  '), 'https://c0ntoso.com/payroll');
  });
  it('leaves ordinary text alone', () => {
    assert.strictEqual(
      refang('https://contoso.sharepoint.com/sites/Benefits'),
      'https://contoso.sharepoint.com/sites/Benefits',
    );
  });
});

describe('entities: detection', () => {
  const cases: [string, ReturnType<typeof detectEntity>][] = [
    ['Megan.Bowen@Contoso.com', { type: 'User', value: 'megan.bowen@contoso.com' }],
    ['mailto:alex.wilber@contoso.com', { type: 'User', value: 'alex.wilber@contoso.com' }],
    [
      'hxxps://secure-login.micros0ft-auth[.]com/common/oauth2/authorize',
      { type: 'Url', value: 'https://secure-login.micros0ft-auth.com/common/oauth2/authorize' },
    ],
    [
      'HTTPS://Contoso.SharePoint.com/sites/Benefits',
      { type: 'Url', value: 'https://contoso.sharepoint.com/sites/Benefits' },
    ],
    ['c0ntoso.com/payroll/update', { type: 'Url', value: 'https://c0ntoso.com/payroll/update' }],
    ['evil[.]com', { type: 'Domain', value: 'evil.com' }],
    ['192.0.2.66', { type: 'Ip', value: '192.0.2.66' }],
    ['2001:DB8::1', { type: 'Ip', value: '2001:db8::1' }],
    ['A6B2C7D1-4E8F-4C3A-9B51-0D7E2F8A6C14', { type: 'Guid', value: 'a6b2c7d1-4e8f-4c3a-9b51-0d7e2f8a6c14' }],
    ['xn--cntoso-wqf.com', { type: 'Domain', value: 'xn--cntoso-wqf.com' }],
  ];
  for (const [input, expected] of cases) {
    it(`detects ${input}`, () => assert.deepStrictEqual(detectEntity(input), expected));
  }
  for (const bad of [
    '',
    'hello world',
    'SigninLogs',
    '| where x == 1',
    '999.1.1.1',
    'javascript:alert(1)',
    'ftp://files.example.com/x',
    'a@b',
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.strictEqual(detectEntity(bad), undefined));
  }
});

describe('entities: analysis targets', () => {
  it('normalises users and URLs', () => {
    assert.strictEqual(validateAnalysisTarget('User', ' Megan.Bowen@contoso.com '), 'megan.bowen@contoso.com');
    assert.strictEqual(
      validateAnalysisTarget('User', 'A6B2C7D1-4E8F-4C3A-9B51-0D7E2F8A6C14'),
      'a6b2c7d1-4e8f-4c3a-9b51-0d7e2f8a6c14',
    );
    assert.strictEqual(
      validateAnalysisTarget('Url', 'hxxps://c0ntoso[.]com/payroll/update'),
      'https://c0ntoso.com/payroll/update',
    );
    assert.strictEqual(validateAnalysisTarget('Url', 'evil.com'), 'https://evil.com');
    assert.strictEqual(normalizeUrl('https://EVIL.com:443/'), 'https://evil.com');
  });
  it('throws a UserError a person can act on', () => {
    assert.throws(
      () => validateAnalysisTarget('User', 'not a user'),
      (e: unknown) => e instanceof UserError && /user principal name/.test(e.message),
    );
    assert.throws(
      () => validateAnalysisTarget('Url', 'javascript:alert(1)'),
      (e: unknown) => e instanceof UserError && /http or https URL/.test(e.message),
    );
    assert.throws(() => validateAnalysisTarget('Url', ''), UserError);
    assert.throws(() => validateAnalysisTarget('Host', 'x'), /Unknown entity type/);
  });
});

describe('entities: defanged indicators come back as the original (property)', () => {
  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
  const domain = fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
    .map(([ls, tld]) => [...ls, tld].join('.'));
  const pathPart = fc
    .array(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), { maxLength: 3 })
    .map((p) => (p.length ? '/' + p.join('/') : '/x'));
  const defang = (s: string) => s.replace(/^http/, 'hxxp').replace(/\./g, '[.]').replace('://', '[://]');

  it('URLs', () => {
    fc.assert(
      fc.property(fc.constantFrom('http', 'https'), domain, pathPart, (scheme, host, p) => {
        // A random `xn--` label is almost never valid punycode, and the URL parser rightly refuses it.
        fc.pre(!/(^|\.)xn--/.test(host));
        const url = `${scheme}://${host}${p}`;
        const plain = detectEntity(url);
        assert.deepStrictEqual(plain, { type: 'Url', value: url });
        assert.deepStrictEqual(detectEntity(defang(url)), plain);
        assert.strictEqual(validateAnalysisTarget('Url', defang(url)), url);
      }),
      { numRuns: 300, seed: Number(process.env.SWB_FUZZ_SEED ?? 20261127) },
    );
  });

  it('UPNs and domains', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9._-]{0,12}[a-z0-9]$/), domain, (local, host) => {
        fc.pre(!local.includes('..'));
        const upn = `${local}@${host}`;
        assert.deepStrictEqual(detectEntity(upn.replace('@', '[at]').replace(/\./g, '[.]')), {
          type: 'User',
          value: upn,
        });
        assert.deepStrictEqual(detectEntity(defang(host)), { type: 'Domain', value: host });
      }),
      { numRuns: 300, seed: Number(process.env.SWB_FUZZ_SEED ?? 20261127) },
    );
  });
});
