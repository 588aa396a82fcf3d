// Tokens the product sends are never printed back: a server that echoes the Authorization header (a hostile
// or misconfigured proxy) must not make a message or a log line carry the bearer token.
const sent = new Set<string>();
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*/gi;

/** Remembers a token this process put (or will put) into a request. */
export function rememberSecret(token: string | undefined): void {
  const t = token?.trim();
  if (t && t.length >= 8) sent.add(t);
}

/** The text with every remembered token, and anything shaped like a bearer credential, replaced. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const t of sent) if (out.includes(t)) out = out.split(t).join('[redacted]');
  return out.replace(BEARER, '$1[redacted]');
}
