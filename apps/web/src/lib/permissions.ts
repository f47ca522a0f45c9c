/**
 * What a role may do, mirroring the server (access/permissions.ts). The server enforces it;
 * the UI only leaves out controls a user could not use.
 */
import type { SessionUser } from '@linedeck/contract';

/** Call control and keys on this phone: admins always, operators on their assigned phones (none when none). */
export function canControl(user: SessionUser, phoneId: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role !== 'operator') return false;
  return user.phoneIds.includes(phoneId);
}

/** Reboot, reset, settings. */
export function canAdminister(user: SessionUser): boolean {
  return user.role === 'admin';
}

/** Add, change, import and remove contacts (the server's `contacts:manage`). */
export function canManageContacts(user: SessionUser): boolean {
  return user.role === 'admin' || user.role === 'operator';
}
