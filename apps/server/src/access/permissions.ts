/**
 * Who may do what: the roles table (docs/security.md) as pure functions.
 *
 * - viewer: read state and events, the passthrough's read functions. A viewer
 *   with phones (a display key's, or assigned by an admin) sees only those.
 * - operator: also call control and keys (REST and passthrough commands), on
 *   the phones assigned to them, or on all phones when none are assigned.
 *   Operators see every phone's state.
 * - admin: everything, on every phone.
 */
import type { Role } from '@linedeck/contract';
import type { Action, Principal } from './access.ts';

export const ALL_ACTIONS: readonly Action[] = [
  'phones:read',
  'phones:manage',
  'calls:control',
  'keys:send',
  'system:reboot',
  'system:reset',
  'events:read',
  'cti:read',
  'cti:command',
  'audit:read',
  'users:manage',
  'contacts:read',
  'contacts:manage',
  'calls:read',
];

const VIEWER_ACTIONS: readonly Action[] = [
  'phones:read',
  'events:read',
  'cti:read',
  'contacts:read',
  'calls:read',
];
const OPERATOR_ACTIONS: readonly Action[] = [
  ...VIEWER_ACTIONS,
  'calls:control',
  'keys:send',
  'cti:command',
  'contacts:manage',
];

export const ROLE_ACTIONS: Record<Role, ReadonlySet<Action>> = {
  viewer: new Set(VIEWER_ACTIONS),
  operator: new Set(OPERATOR_ACTIONS),
  admin: new Set(ALL_ACTIONS),
};

/** Actions that act on a phone: limited to an operator's assigned phones. */
export const CONTROL_ACTIONS: ReadonlySet<Action> = new Set(['calls:control', 'keys:send', 'cti:command']);

export function roleAllows(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role].has(action);
}

/** May this principal see this phone's record, state and events? */
export function canSeePhone(principal: Principal, phoneId: string): boolean {
  if (principal.role !== 'viewer') return true;
  return principal.phoneIds.length === 0 || principal.phoneIds.includes(phoneId);
}

/** May this principal send calls, operations and keys to this phone? */
export function canControlPhone(principal: Principal, phoneId: string): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'operator') return false;
  return principal.phoneIds.length === 0 || principal.phoneIds.includes(phoneId);
}

/** The phones this principal may see, or null for all of them. */
export function visiblePhoneIds(principal: Principal): string[] | null {
  if (principal.role !== 'viewer' || principal.phoneIds.length === 0) return null;
  return [...principal.phoneIds];
}

/** May `principal` do `action`, on `phoneId` when given? */
export function isAllowed(principal: Principal, action: Action, phoneId?: string): boolean {
  if (!roleAllows(principal.role, action)) return false;
  if (phoneId === undefined) return true;
  return CONTROL_ACTIONS.has(action) ? canControlPhone(principal, phoneId) : canSeePhone(principal, phoneId);
}

const ACTION_TEXT: Record<Action, string> = {
  'phones:read': 'see phones',
  'phones:manage': 'add, change or remove phones',
  'calls:control': 'control calls',
  'keys:send': 'send keys',
  'system:reboot': 'reboot phones',
  'system:reset': 'reset phones to factory defaults',
  'events:read': 'follow events',
  'cti:read': 'read through the CTI passthrough',
  'cti:command': 'send commands through the CTI passthrough',
  'audit:read': 'read the audit log',
  'users:manage': 'manage users, tokens and display keys',
  'contacts:read': 'see contacts',
  'contacts:manage': 'add, change or remove contacts',
  'calls:read': 'see the call history',
};

export function forbiddenMessage(principal: Principal, action: Action, phoneId?: string): string {
  if (!roleAllows(principal.role, action))
    return `The ${principal.role} role may not ${ACTION_TEXT[action]}.`;
  return `You may not ${ACTION_TEXT[action]} on phone ${phoneId ?? ''}: it is not one of your phones.`;
}

/** Who did it, as audited and as `GET /api/session` names it: a user's id, `token:<id>` or `display:<id>`. */
export function actorId(principal: Principal): string | null {
  if (principal.userId) return principal.userId;
  if (principal.tokenId) return `token:${principal.tokenId}`;
  if (principal.displayKeyId) return `display:${principal.displayKeyId}`;
  return null;
}
