/** Mirrors the server: admins manage every campaign, an operator only the personal one they created. */
import type { Campaign, SessionUser } from '@linedeck/contract';

export function canManageCampaign(user: SessionUser, campaign: Pick<Campaign, 'createdBy'>): boolean {
  if (user.role === 'admin') return true;
  return user.role === 'operator' && campaign.createdBy === user.username;
}
