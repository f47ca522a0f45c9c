import type { ScreenPopBody, ScreenPopSettings } from '@linedeck/contract';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export const screenPopQuery = queryOptions({
  queryKey: ['account', 'screen-pop'] as const,
  queryFn: ({ signal }) => api<ScreenPopSettings>('/api/account/screen-pop', { signal }),
  staleTime: 60_000,
});

export function saveScreenPop(body: ScreenPopBody): Promise<ScreenPopSettings> {
  return api<ScreenPopSettings>('/api/account/screen-pop', { method: 'PUT', body });
}
