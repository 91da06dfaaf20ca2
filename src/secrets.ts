/**
 * What must never reach a log line or an error message: values of secret settings and credentials in URLs.
 * Logs are read by more people than the configuration, and copied into tickets and chats.
 */

/** Settings whose values are credentials (DATABASE_URL carries the database password). */
export function isSecretName(name: string): boolean {
  return name === 'DATABASE_URL' || /_(SECRET|TOKEN|KEY)$/.test(name);
}

/** Query parameters that carry a credential: ?token=, ?access_token=, a webhook's ?key=, ?password=, a signature. */
export const SECRET_PARAM = /token|secret|key|pass(word|wd)?|pwd|sig(nature)?|auth|credential/i;

/** A mainland mobile number: personal data, never kept in a log record. */
export const MOBILE_NUMBER = /1[3-9]\d{9}/;

/** The URL (path and query) with the values of credential-like query parameters replaced. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = url
    .slice(query + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const rawName = equals < 0 ? part : part.slice(0, equals);
      return SECRET_PARAM.test(decodeName(rawName)) ? `${rawName}=[redacted]` : part;
    });
  return `${url.slice(0, query)}?${params.join('&')}`;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** How a credential is shown where it must be told apart from others: its last four characters only. */
export function maskSecret(value: string): string {
  return `****${value.slice(-4)}`;
}

/** Field names whose values are credentials wherever they sit in a document (a unit's robot webhook key, a token). */
const CREDENTIAL_FIELD = /^(webhookKey|.*(secret|token|password)s?)$/i;

/** A copy of `doc` with every credential field masked; what is not a credential is kept as it is. */
export function maskCredentials<T>(doc: T): T {
  if (Array.isArray(doc)) return doc.map((item: unknown) => maskCredentials(item)) as T;
  if (!doc || typeof doc !== 'object' || doc instanceof Date) return doc;
  return Object.fromEntries(
    Object.entries(doc).map(([key, value]) => [
      key,
      typeof value === 'string' && CREDENTIAL_FIELD.test(key) ? maskSecret(value) : maskCredentials(value),
    ]),
  ) as T;
}

/**
 * The values this process holds as credentials (configured tokens and secrets, the database password, the units'
 * webhook keys). Text that may leave the process — every log line — is scrubbed of each of them by `redactText`,
 * so a credential carried in an unexpected field (a chat id, an error message) is still never written.
 */
const knownSecrets = new Set<string>();
/** Shorter values are too likely to be ordinary words to be blanked everywhere. */
const MIN_KNOWN_SECRET = 8;

export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= MIN_KNOWN_SECRET) knownSecrets.add(value);
}

/** Remembers the credentials among settings (by name) and the password of any URL setting. */
export function rememberConfiguredSecrets(env: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue;
    if (isSecretName(name)) rememberSecret(value);
    const password = urlPassword(value);
    if (password) rememberSecret(password);
  }
}

function urlPassword(value: string): string | undefined {
  if (!value.includes('://')) return undefined;
  try {
    return decodeURIComponent(new URL(value).password) || undefined;
  } catch {
    return undefined;
  }
}

/** A robot's outbox address is `webhook:<key>`: the key is a credential, the prefix and its tail tell it apart. */
const WEBHOOK_ADDRESS = /webhook:([A-Za-z0-9_-]+)/g;

/** `text` with every known credential, robot webhook address and URL password masked. */
export function redactText(text: string): string {
  let out = text.replace(WEBHOOK_ADDRESS, (_whole, key: string) => `webhook:${maskSecret(key)}`);
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@"]+@/gi, '$1[redacted]@');
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
  return out;
}

/**
 * A setting's value as a configuration error may show it: URLs without their user and password and with credential
 * parameters blanked; anything else as given.
 */
export function showSettingValue(value: string): string {
  if (!value.includes('://')) return value;
  const withoutUser = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1[redacted]@');
  return redactUrl(withoutUser);
}
