/**
 * A campaign row as the repository stores it, running now, with the API's defaults: for code that fills
 * the repository directly (repository tests, bench k) rather than through the routes.
 */
import type { CampaignRecord } from './campaigns-repository.ts';

export function runningCampaign(id: string, over: Partial<CampaignRecord> = {}): CampaignRecord {
  const at = new Date().toISOString();
  return {
    id,
    name: id,
    mode: 'automatic',
    state: 'running',
    phoneIds: [],
    wrapUpSeconds: 5,
    ringTimeoutSeconds: 30,
    maxAttempts: 2,
    retryAfterMinutes: 30,
    callingHours: null,
    pausedBy: null,
    createdById: null,
    createdBy: null,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    finishedAt: null,
    ...over,
  };
}
