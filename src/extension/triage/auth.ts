// The built-in `microsoft` authentication provider as a TokenCredential: silent first, interactive only
// when the user asked for it (Connect), the tenant through VSCODE_TENANT:, expiry read from the JWT.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import { jwtExpiry } from '../../core/backends/azure/jwt';
import { UserError } from '../../core/errors';

const WORKSPACE_SIGN_IN =
  'You are not signed in to Microsoft for this workspace. Run "Sentinel: Connect to Azure Workspace…" to sign in.';

/** A UserError, so the HTTP clients pass it on as it is instead of retrying it as a network failure. */
export class NotSignedInError extends UserError {
  constructor(message = WORKSPACE_SIGN_IN) {
    super(message, 'NotSignedIn');
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
  /** What is missing and what to do, when the sign-in is not for the Sentinel workspace (a query target's own service). */
  signInNeeded?: string;
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
        try {
          session = await vscode.authentication.getSession(provider, wanted, { createIfNone: true });
        } catch (e) {
          // The prompt was declined or failed: say which sign-in it was, not only VS Code's reason.
          if (!options.signInNeeded) throw e;
          throw new NotSignedInError(
            `${options.signInNeeded} (The sign-in did not complete: ${e instanceof Error ? e.message : String(e)})`,
          );
        }
      }
      if (!session) throw new NotSignedInError(options.signInNeeded);
      return {
        token: session.accessToken,
        expiresOnTimestamp: jwtExpiry(session.accessToken) ?? Date.now() + 5 * 60 * 1000,
      };
    },
  };
}
