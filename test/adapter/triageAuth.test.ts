// The VS Code sign-in as a TokenCredential: silent first, a prompt only during a user action, the tenant
// through VSCODE_TENANT:, the expiry from the token itself.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { NotSignedInError, vscodeCredential } from '../../src/extension/triage/auth';
import { asUserAction, credentialFor } from '../../src/extension/triage/azure';
import { fake } from './support/fakeVscode';

describe('VS Code sign-in credential (adapter)', () => {
  const calls: { provider: string; scopes: string[]; options: Record<string, unknown> }[] = [];
  const exp = 1893456000;
  const jwt = `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
  let signedIn = false;
  const original = vscode.authentication.getSession;

  before(() => {
    (vscode.authentication as { getSession: unknown }).getSession = async (
      provider: string,
      scopes: string[],
      options: Record<string, unknown>,
    ) => {
      calls.push({ provider, scopes, options });
      if (options.createIfNone) signedIn = true;
      return signedIn ? { accessToken: jwt, id: '1', scopes, account: { id: 'a', label: 'alice' } } : undefined;
    };
  });
  after(() => {
    (vscode.authentication as { getSession: unknown }).getSession = original;
  });
  beforeEach(() => {
    fake.reset();
    calls.length = 0;
    signedIn = false;
  });

  it('never prompts outside a user action and says how to sign in', async () => {
    const credential = vscodeCredential({ tenantId: 'tenant-1', interactive: () => false });
    await assert.rejects(credential.getToken('https://management.azure.com/.default'), NotSignedInError);
    assert.deepStrictEqual(
      calls.map((c) => c.options),
      [{ silent: true }],
    );
    assert.deepStrictEqual(calls[0].scopes, ['https://management.azure.com/.default', 'VSCODE_TENANT:tenant-1']);
    assert.strictEqual(calls[0].provider, 'microsoft');
  });

  it('prompts during a user action, then reads the expiry from the JWT', async () => {
    const credential = credentialFor('');
    const token = await asUserAction(() => credential.getToken('https://api.loganalytics.io/.default'));
    assert.deepStrictEqual(
      calls.map((c) => c.options),
      [{ silent: true }, { createIfNone: true }],
    );
    assert.deepStrictEqual(calls[0].scopes, ['https://api.loganalytics.io/.default']);
    assert.strictEqual(token?.expiresOnTimestamp, exp * 1000);
    // Later calls are silent.
    await credential.getToken('https://api.loganalytics.io/.default');
    assert.deepStrictEqual(calls[2].options, { silent: true });
  });

  it('uses the sovereign-cloud provider when configured', async () => {
    fake.settings.set('sentinelWorkbench.azure.authProvider', 'microsoft-sovereign-cloud');
    signedIn = true;
    await credentialFor('t').getToken('https://management.usgovcloudapi.net/.default');
    assert.strictEqual(calls[0].provider, 'microsoft-sovereign-cloud');
  });

  it('ignores SWB_ACCESS_TOKEN unless the development setting is on', async () => {
    const saved = process.env.SWB_ACCESS_TOKEN;
    process.env.SWB_ACCESS_TOKEN = 'env-token';
    const warned: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => warned.push(m), error() {} };
    try {
      signedIn = true;
      const signedInToken = await credentialFor('', logger).getToken('https://management.azure.com/.default');
      assert.notStrictEqual(signedInToken?.token, 'env-token', 'the VS Code sign-in, not the variable');
      assert.match(warned.join('\n'), /SWB_ACCESS_TOKEN is set but ignored/);
      fake.settings.set('sentinelWorkbench.development.useAccessTokenFromEnvironment', true);
      calls.length = 0;
      const dev = await credentialFor('', logger).getToken('https://management.azure.com/.default');
      assert.strictEqual(dev?.token, 'env-token');
      assert.strictEqual(calls.length, 0, 'no VS Code sign-in asked');
    } finally {
      fake.settings.set('sentinelWorkbench.development.useAccessTokenFromEnvironment', undefined);
      if (saved === undefined) delete process.env.SWB_ACCESS_TOKEN;
      else process.env.SWB_ACCESS_TOKEN = saved;
    }
  });
});
