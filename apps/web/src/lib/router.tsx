/**
 * A router in a few lines on the History API: the app has a handful of routes,
 * so a dependency would cost more bytes than it saves. `navigate` pushes a path,
 * `useLocation` re-renders on changes, `Link` keeps ordinary link behaviour
 * (middle click, open in a new tab) and only takes over a plain left click.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current path and search string. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, 'http://x');
  return { pathname: url.pathname, search: url.search };
}

/**
 * Matches `/phones/:id` style patterns; answers the decoded parameters or null.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i] as string;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) return null;
  }
  return params;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      rest.target === '_blank'
    )
      return;
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}

/** The console's address, the one place it is written. */
export function consolePath(phoneId: string): string {
  return `/phones/${encodeURIComponent(phoneId)}`;
}

/** The wall display (no controls; a display key's `/wall?key=` link signs a screen in). */
export const WALL_PATH = '/wall';
/** The CTI setup guide. */
export const SETUP_GUIDE_PATH = '/setup-guide';

export const SETTINGS_SECTIONS = ['phones', 'users', 'access', 'webhooks', 'directory', 'audit'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/** An admin settings page's address: `/settings/phones`, `/settings/users`, ... */
export function settingsPath(section: SettingsSection = 'phones'): string {
  return `/settings/${section}`;
}

/** The contacts page. */
export const CONTACTS_PATH = '/contacts';

/** The call journal; `callsPath` (features/calls/calls-filter.ts) adds its filters. */
export const CALLS_PATH = '/calls';
