import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor, Tx } from '../db/database';
import { DomainError } from './errors';
import { recordChange } from './audit';

export type ApiRole = 'admin' | 'leader';

/** Who is calling the API: the role of the token and the person it was issued to (null for the unnamed old tokens). */
export interface Principal {
  role: ApiRole;
  holder: string | null;
}

/** A token as it may be shown: never its value, only its last four characters. */
export interface TokenListing {
  id: number;
  holder: string;
  role: ApiRole;
  tail: string;
  issuedBy: string;
  issuedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const ROLE_NAMES: Readonly<Record<ApiRole, string>> = { admin: '管理', leader: '领导只读' };

/** The name the audit log records: the person, or the unnamed old token's role. */
export function actorName(principal: Principal): string {
  return principal.holder ?? `未署名${ROLE_NAMES[principal.role]}令牌`;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Issues a token to a named person; the value is returned here once and kept only as a hash. */
export async function issueToken(
  tx: Tx,
  request: { holder: string; role: ApiRole; by: Principal; at: Date },
): Promise<{ listing: TokenListing; token: string }> {
  const token = `wtb_${randomBytes(24).toString('base64url')}`;
  const row = await tx
    .insertInto('api_tokens')
    .values({
      holder: request.holder,
      role: request.role,
      token_hash: digest(token),
      tail: token.slice(-4),
      issued_by: actorName(request.by),
      issued_at: request.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const listing = present(row);
  await recordChange(tx, { subject: 'tokens', actor: actorName(request.by), at: request.at, before: null, after: listing });
  return { listing, token };
}

/** Revokes a token at once for every process (each request reads the table). */
export async function revokeToken(tx: Tx, id: number, by: Principal, at: Date): Promise<TokenListing> {
  const before = await tx.selectFrom('api_tokens').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) throw new DomainError('token_not_found', `没有编号为 ${id} 的令牌`);
  if (before.revoked_at) throw new DomainError('already_done', `令牌 ${id}（${before.holder}）已于之前撤销`);
  const after = await tx
    .updateTable('api_tokens')
    .set({ revoked_at: at, revoked_by: actorName(by) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordChange(tx, { subject: 'tokens', actor: actorName(by), at, before: present(before), after: present(after) });
  return present(after);
}

export async function listTokens(db: Executor): Promise<TokenListing[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
  return rows.map(present);
}

/** The live token with this value, if any. */
export async function findToken(db: Executor, token: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['holder', 'role'])
    .where('token_hash', '=', digest(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { role: row.role, holder: row.holder };
}

function present(row: {
  id: number;
  holder: string;
  role: ApiRole;
  tail: string;
  issued_by: string;
  issued_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}): TokenListing {
  return {
    id: row.id,
    holder: row.holder,
    role: row.role,
    tail: row.tail,
    issuedBy: row.issued_by,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

/**
 * Resolves a bearer token: the old single tokens (unnamed), then the tokens issued to people. Read from the table on
 * every call, so a revocation holds in every process at once.
 */
export function tokenAuthority(db: Executor, unnamed: { admin: string; leader: string }) {
  return async (token: string): Promise<Principal | undefined> => {
    if (sameSecret(token, unnamed.admin)) return { role: 'admin', holder: null };
    if (sameSecret(token, unnamed.leader)) return { role: 'leader', holder: null };
    return findToken(db, token);
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = digest(given);
  const b = digest(expected);
  return timingSafeEqual(a, b);
}
