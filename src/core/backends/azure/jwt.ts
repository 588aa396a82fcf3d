// Reading a JWT's expiry (the VS Code session and SWB_ACCESS_TOKEN carry no separate expiry), and the fixed-token
// credential built on it. No SDK imports: the extension bundle uses this file.
import type { AccessToken, TokenCredential } from '@azure/core-auth';

/** `exp` of a JWT in ms since the epoch; undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length < 2) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A credential that always returns the same token (for every scope). */
export function staticTokenCredential(token: string): TokenCredential {
  const value = token.trim();
  return {
    async getToken(): Promise<AccessToken> {
      return { token: value, expiresOnTimestamp: jwtExpiry(value) ?? Date.now() + 60 * 60 * 1000 };
    },
  };
}
