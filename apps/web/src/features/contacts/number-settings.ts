/**
 * The server's default country (GET /api/settings/public), so the web reads, groups and matches
 * numbers as the server does. Fetched once per page load: it only changes with a restart.
 */
import type { PublicSettings } from '@linedeck/contract';
import type { CountryCode } from '@linedeck/contract/numbers';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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

type Format = (number: string, extension?: string | null) => string;
let loaded: typeof import('@linedeck/contract/numbers').formatNumber | undefined;

/**
 * `formatNumber` under the default country. libphonenumber-js is loaded on first use, not with the
 * page (it is about a quarter of the app's first load): until then numbers are shown as dialled.
 */
export function useNumberFormat(): Format {
  const country = useDefaultCountry();
  const [format, setFormat] = useState(() => loaded);
  useEffect(() => {
    if (format) return;
    let live = true;
    void import('@linedeck/contract/numbers').then((m) => {
      loaded = m.formatNumber;
      if (live) setFormat(() => m.formatNumber);
    });
    return () => {
      live = false;
    };
  }, [format]);
  return (number, extension) =>
    format ? format(number, country, extension) : extension ? `${number} ext. ${extension}` : number;
}
