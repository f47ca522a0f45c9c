/**
 * Who may do what: the roles table (docs/security.md) as pure functions.
 *
 * - viewer: read state and events, the passthrough's read functions. A viewer
 *   with phones (assigned by an admin) sees only those; without, all phones.
 * - display key (a viewer): only what a wall shows: its phones' state, events
 *   and today's counters; no contacts, no passthrough.
 * - operator: also call control and keys (REST and passthrough commands), on
 *   the phones assigned to them. Without assigned phones an operator has none
 *   (fails closed: a forgotten assignment grants nothing). Operators with
 *   phones see every phone's state. An API token made for all phones
 *   (`allPhones`) controls all of them.
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

/**
 * What a wall screen needs: phone state, the stream, and `calls:read` for `/api/calls/today` (the calls
 * routes refuse a display key every other call route). Contacts and the passthrough are not on a wall.
 */
export const DISPLAY_ACTIONS: ReadonlySet<Action> = new Set(['phones:read', 'events:read', 'calls:read']);

function actionsOf(principal: Principal): ReadonlySet<Action> {
  return principal.kind === 'display' ? DISPLAY_ACTIONS : ROLE_ACTIONS[principal.role];
}

/** Actions that act on a phone: limited to an operator's assigned phones. */
export const CONTROL_ACTIONS: ReadonlySet<Action> = new Set(['calls:control', 'keys:send', 'cti:command']);

export function roleAllows(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role].has(action);
}

/** May this principal see this phone's record, state and events? */
export function canSeePhone(principal: Principal, phoneId: string): boolean {
  const visible = visiblePhoneIds(principal);
  return visible === null || visible.includes(phoneId);
}

/** May this principal send calls, operations and keys to this phone? */
export function canControlPhone(principal: Principal, phoneId: string): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'operator') return false;
  return principal.allPhones === true || principal.phoneIds.includes(phoneId);
}

/** The phones this principal may see, or null for all of them ([] for an operator without phones). */
export function visiblePhoneIds(principal: Principal): string[] | null {
  if (principal.role === 'admin' || principal.allPhones === true) return null;
  if (principal.role === 'operator') return principal.phoneIds.length === 0 ? [] : null;
  return principal.phoneIds.length === 0 ? null : [...principal.phoneIds];
}

/** May `principal` do `action`, on `phoneId` when given? */
export function isAllowed(principal: Principal, action: Action, phoneId?: string): boolean {
  if (!actionsOf(principal).has(action)) return false;
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
  if (principal.kind === 'display' && !DISPLAY_ACTIONS.has(action))
    return `A display key may not ${ACTION_TEXT[action]}: it sees only what its wall shows.`;
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
