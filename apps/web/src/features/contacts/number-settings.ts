/**
 * The server's default country (GET /api/settings/public), so the web reads, groups and matches
 * numbers as the server does. Fetched once per page load: it only changes with a restart.
 */
import type { PublicSettings } from '@linedeck/contract';
import type { CountryCode } from '@linedeck/contract/numbers';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export const publicSettingsQuery = queryOptions({
  queryKey: ['settings', 'public'] as const,
  queryFn: ({ signal }) => api<PublicSettings>('/api/settings/public', { signal }),
  staleTime: Number.POSITIVE_INFINITY,
});

/** Null until known, and when the server has none. */
export function useDefaultCountry(): CountryCode | null {
  const settings = useQuery(publicSettingsQuery);
  return (settings.data?.defaultCountry as CountryCode | null | undefined) ?? null;
}
