import type { Context, Next } from 'koa';
import { ApiError } from './errors';

/**
 * Text PostgreSQL cannot store: NUL (refused in text and jsonb) and a lone UTF-16 surrogate (refused in jsonb, and no
 * character at all). Refused for the whole admin API before any route runs, so no such value reaches a query and a
 * malformed filter or body is a 400, never a 500.
 */
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasUnsafeText(text: string): boolean {
  return UNSAFE.test(text);
}

/** The first place in `value` (keys included) holding unsafe text, as a readable path; undefined when there is none. */
export function findUnsafeText(value: unknown, where = ''): string | undefined {
  if (typeof value === 'string') return hasUnsafeText(value) ? where || '(值)' : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnsafeText(item, `${where}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const path = where ? `${where}.${key}` : key;
      if (hasUnsafeText(key)) return path;
      const found = findUnsafeText(item, path);
      if (found) return found;
    }
  }
  return undefined;
}

function refuse(where: string): never {
  throw new ApiError(
    400,
    'invalid_text',
    `「${where}」含有空字符（\\u0000）或不成对的代理字符（UTF-16 surrogate），请只使用正常的文字`,
  );
}

/** Admin API middleware: the path, the query string and the JSON body hold only well-formed text without NUL. */
export async function rejectUnsafeInput(ctx: Context, next: Next): Promise<void> {
  for (const segment of ctx.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new ApiError(400, 'invalid_path', '路径中的百分号编码不正确（须为 UTF-8 的 %XX 形式）');
    }
    if (hasUnsafeText(decoded)) refuse('路径');
  }
  const inQuery = findUnsafeText(ctx.query);
  if (inQuery) refuse(`查询参数 ${inQuery}`);
  const inBody = findUnsafeText(ctx.request.body);
  if (inBody) refuse(`请求内容 ${inBody}`);
  await next();
}
