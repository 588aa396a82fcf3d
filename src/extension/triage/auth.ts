// The built-in `microsoft` authentication provider as a TokenCredential: silent first, interactive only
// when the user asked for it (Connect), the tenant through VSCODE_TENANT:, expiry read from the JWT.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import { jwtExpiry } from '../../core/backends/azure/jwt';

export class NotSignedInError extends Error {
  constructor() {
    super('You are not signed in to Microsoft for this workspace. Run "Sentinel: Connect to Azure Workspace…" to sign in.');
    this.name = 'NotSignedInError';
  }
}

export interface VsCodeCredentialOptions {
  /** Entra tenant id; empty = the account's home tenant. */
  tenantId?: string;
  /** True only while a user-started command runs: may show the sign-in prompt. */
  interactive?: () => boolean;
  /** `microsoft` (public cloud) or `microsoft-sovereign-cloud`. */
  providerId?: string;
}

export function sessionScopes(scope: string, tenantId?: string): string[] {
  return tenantId ? [scope, `VSCODE_TENANT:${tenantId}`] : [scope];
}

export function vscodeCredential(options: VsCodeCredentialOptions = {}): TokenCredential {
  return {
    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
      const scope = Array.isArray(scopes) ? scopes[0] : scopes;
      const wanted = sessionScopes(scope, options.tenantId);
      const provider = options.providerId || 'microsoft';
      let session = await vscode.authentication.getSession(provider, wanted, { silent: true });
      if (!session && options.interactive?.()) {
        session = await vscode.authentication.getSession(provider, wanted, { createIfNone: true });
      }
      if (!session) throw new NotSignedInError();
      return { token: session.accessToken, expiresOnTimestamp: jwtExpiry(session.accessToken) ?? Date.now() + 5 * 60 * 1000 };
    },
  };
}
