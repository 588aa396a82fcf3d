// Token credentials for the Azure backend outside VS Code: a fixed bearer token (SWB_ACCESS_TOKEN, for
// automation and tests) or @azure/identity (Azure CLI first, then device code), loaded lazily.
// Tokens are never logged.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { Logger } from '../../types';
import { rememberSecret } from '../../secrets';
import { jwtExpiry, staticTokenCredential } from './jwt';

export { jwtExpiry, staticTokenCredential };

/** Tries credentials in order and keeps the first that works (like ChainedTokenCredential, with our messages). */
export function firstWorkingCredential(
  candidates: { name: string; create: () => Promise<TokenCredential> }[],
  logger: Logger,
): TokenCredential {
  let chosen: TokenCredential | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      if (chosen) return chosen.getToken(scopes, options);
      const failures: string[] = [];
      for (const c of candidates) {
        try {
          const credential = await c.create();
          const token = await credential.getToken(scopes, options);
          if (token) {
            chosen = credential;
            logger.info(`signed in to Azure with ${c.name}`);
            return token;
          }
        } catch (e) {
          failures.push(`${c.name}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      throw new Error(`Could not sign in to Azure. ${failures.join('; ')}. Run 'az login' or set SWB_ACCESS_TOKEN.`);
    },
  };
}

/** The CLI's credential: SWB_ACCESS_TOKEN as is, else Azure CLI, then device code (prompt on stderr). */
export function cliCredential(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  prompt: (message: string) => void,
): TokenCredential {
  const token = env.SWB_ACCESS_TOKEN?.trim();
  if (token) return staticTokenCredential(token);
  const tenantId = env.AZURE_TENANT_ID?.trim() || undefined;
  return firstWorkingCredential(
    [
      {
        name: 'Azure CLI',
        create: async () => new (await import('@azure/identity')).AzureCliCredential({ tenantId }),
      },
      {
        name: 'device code',
        create: async () =>
          new (await import('@azure/identity')).DeviceCodeCredential({
            tenantId,
            userPromptCallback: (info) => prompt(info.message),
          }),
      },
    ],
    logger,
  );
}

/** The same credential; each token it returns is remembered, so messages that echo it are redacted. */
export function rememberingCredential(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await credential.getToken(scopes, options);
      rememberSecret(token?.token);
      return token;
    },
  };
}
