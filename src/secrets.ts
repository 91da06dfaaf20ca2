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
