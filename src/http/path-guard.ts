/**
 * The decision "is this request for the protected API?" must be the one the router makes, whatever the spelling of
 * the path. Two rules make that so: a path that is not written the one canonical way (a dot segment, an empty
 * segment, a percent-escape of a character that needs none, an escaped slash or backslash) is refused before any
 * routing, and the guard compares the path's prefix without regard to case while the routers match with it, so an
 * odd capitalisation is guarded and then finds no route.
 */

/** Characters that never need a percent-escape (RFC 3986 "unreserved"), plus the separators `/`, `\` and `.`. */
const NEEDLESS_ESCAPE = /%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|2[def]|5[cf]|7e)/i;

/** What is wrong with how the path is written, or undefined when it is canonical. */
export function nonCanonicalPath(path: string): string | undefined {
  if (!path.startsWith('/')) return '路径须以 / 开头';
  if (path.includes('\\')) return '路径中不能有反斜杠';
  if (NEEDLESS_ESCAPE.test(path)) return '路径中不能有多余的百分号编码（字母、数字、/、. 等直接书写）';
  // A trailing slash is one empty segment the routers accept; any other empty segment is a doubled slash.
  const segments = path.slice(1).replace(/\/$/, '').split('/');
  if (path !== '/' && segments.some((segment) => segment === '')) return '路径中不能有连续的斜杠';
  if (segments.some((segment) => segment === '.' || segment === '..')) return '路径中不能有 . 或 .. 段';
  return undefined;
}

/** The areas behind the bearer guard, compared without regard to case. */
const PROTECTED_PREFIXES = ['/api'] as const;

export function isProtectedPath(path: string): boolean {
  const lower = path.toLowerCase();
  return PROTECTED_PREFIXES.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
}
