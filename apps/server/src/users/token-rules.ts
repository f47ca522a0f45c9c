/**
 * When an API token works. A token is a user's delegate, not a credential of its own: it works only
 * while the admin who made it is an active admin (tokens are made by admins only, so demoting, disabling
 * or deleting that user stops every token they made, at once), and until its `expiresAt`. A token with
 * no recorded creator (made before creators were kept, with no admin to hand it to) is refused.
 */
import type { ApiTokenStatus } from '@linedeck/contract';
import type { Principal } from '../access/access.ts';
import type { TokenRecord, UserRecord } from './users-repository.ts';

export function tokenStatus(
  token: TokenRecord,
  creator: UserRecord | undefined,
  now: number,
): ApiTokenStatus {
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return 'expired';
  if (token.createdBy === null || creator === undefined) return 'creator_missing';
  if (creator.disabled) return 'creator_disabled';
  if (creator.role !== 'admin') return 'creator_role';
  return 'active';
}

const REFUSED: Record<Exclude<ApiTokenStatus, 'active'>, string> = {
  expired: 'This API token has expired.',
  creator_missing: 'This API token no longer works: the user who made it is gone.',
  creator_disabled: 'This API token no longer works: the user who made it is disabled.',
  creator_role: 'This API token no longer works: the user who made it is no longer an admin.',
};

export function refusedTokenMessage(status: Exclude<ApiTokenStatus, 'active'>): string {
  return REFUSED[status];
}

/** The principal a working token acts as: its role, on its phones (all phones when it names none). */
export function tokenPrincipal(token: TokenRecord): Principal {
  return {
    userId: null,
    username: `token:${token.name}`,
    role: token.role,
    phoneIds: token.phoneIds ?? [],
    allPhones: token.phoneIds === null,
    kind: 'token',
    viaCookie: false,
    tokenId: token.id,
  };
}
