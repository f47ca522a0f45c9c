import type { SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ACCOUNT_PATH } from '../features/auth/account-path.ts';
import { SignOutButton } from '../features/auth/sign-out-button.tsx';
import { useMissedNotifications } from '../features/calls/use-missed-notifications.ts';
import { CAMPAIGNS_PATH } from '../features/campaigns/campaign-paths.ts';
import { useMissedTab } from '../features/incoming-call/use-ringing-tab.ts';
import { callQueries } from '../lib/calls-queries.ts';
import { phoneQueries } from '../lib/queries.ts';
import {
  CALLS_PATH,
  CONTACTS_PATH,
  Link,
  matchPath,
  SETUP_GUIDE_PATH,
  settingsPath,
  useLocation,
  WALL_PATH,
} from '../lib/router.tsx';

const ROLE_LABEL = { admin: 'Admin', operator: 'Operator', viewer: 'Viewer' } as const;
// 44 px tall on phone-sized screens: a thumb's target.
const NAV_LINK = 'inline-flex items-center rounded px-1 py-0.5 hover:underline max-sm:min-h-11 max-sm:px-2';

/**
 * "Calls" with the unseen missed calls as a badge, which the tab title repeats ("(2) Phones · LineDeck");
 * a missed call on a watched phone notifies a hidden tab.
 */
function CallsLink({ user }: { user: SessionUser }) {
  const missed = useQuery(callQueries.missed());
  const phones = useQuery(phoneQueries.list());
  const { pathname } = useLocation();
  // An error (a server without the journal) shows no badge rather than a wrong one.
  const count = missed.isError ? 0 : (missed.data?.count ?? 0);
  useMissedTab(count);
  useMissedNotifications(
    user,
    matchPath('/phones/:id', pathname)?.id,
    (id) => phones.data?.find((p) => p.id === id)?.name,
  );
  return (
    // Named "Calls 2 missed": the visible "Calls 2" is the start of the name (speech input users say
    // what they see), the word "missed" is for screen readers only.
    <Link href={CALLS_PATH} className={`${NAV_LINK} gap-1.5`}>
      <span>Calls</span>
      {count > 0 && (
        <>
          {' '}
          <span className="min-w-5 rounded-full bg-red-700 px-1.5 text-center font-semibold text-white text-xs leading-5 dark:bg-red-400 dark:text-zinc-950">
            {count > 99 ? '99+' : count}
            <span className="sr-only"> missed</span>
          </span>
        </>
      )}
    </Link>
  );
}

/** The signed-in frame: skip link, banner with navigation and the user, the main landmark. */
export function Shell({
  user,
  alerts,
  children,
}: {
  user: SessionUser;
  /** Pop-ups such as an incoming call: first in the tab order, so the keyboard reaches them at once. */
  alerts?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 items-center rounded bg-white px-3 text-zinc-900 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:inline-flex focus:min-h-11"
      >
        Skip to content
      </a>
      {alerts}
      <header className="border-zinc-200 border-b bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-[120rem] flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="flex min-h-11 items-center gap-2 font-semibold text-lg">
            <img src="/favicon.svg" alt="" className="size-7" />
            LineDeck
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-x-4 text-sm max-sm:gap-x-1">
            <Link href="/" className={NAV_LINK}>
              Phones
            </Link>
            <CallsLink user={user} />
            <Link href={CONTACTS_PATH} className={NAV_LINK}>
              Contacts
            </Link>
            {user.role !== 'viewer' && (
              <Link href={CAMPAIGNS_PATH} className={NAV_LINK}>
                Campaigns
              </Link>
            )}
            <Link href={WALL_PATH} className={NAV_LINK}>
              Wall
            </Link>
            {user.role === 'admin' && (
              <Link href={settingsPath()} className={NAV_LINK}>
                Settings
              </Link>
            )}
            <Link href={SETUP_GUIDE_PATH} className={NAV_LINK}>
              Setup guide
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              <span className="font-medium">{user.username}</span>
              <span className="text-zinc-600 dark:text-zinc-400"> · {ROLE_LABEL[user.role]}</span>
            </span>
            <Link href={ACCOUNT_PATH} className={NAV_LINK}>
              Account
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-[120rem] flex-1 px-4 py-6 outline-none">
        {children}
      </main>
    </div>
  );
}
