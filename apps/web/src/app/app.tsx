import type { SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useLayoutEffect, useRef } from 'react';
import { OfflineBanner } from '../components/ui/offline-banner.tsx';
import { ShortcutsDialog } from '../components/ui/shortcuts-dialog.tsx';
import { ToastRegion } from '../components/ui/toast-region.tsx';
import { ScreenPopOpener } from '../features/account/screen-pop-opener.tsx';
import { API_REFERENCE_PATH } from '../features/api-reference/path.ts';
import { ACCOUNT_PATH } from '../features/auth/account-path.ts';
import { ChangePasswordPage } from '../features/auth/change-password-page.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { CAMPAIGNS_PATH } from '../features/campaigns/campaign-paths.ts';
import { CAMPAIGN_SHORTCUTS } from '../features/campaigns/campaign-shortcuts.ts';
import { ConsolePage } from '../features/console/console-page.tsx';
import { CONSOLE_SHORTCUTS } from '../features/console/use-console-shortcuts.ts';
import { DIAL_PATH } from '../features/dial/protocol-handlers.ts';
import { FleetPage } from '../features/fleet/fleet-page.tsx';
import { IncomingCall } from '../features/incoming-call/incoming-call.tsx';
import { Keypad } from '../features/keypad/keypad.tsx';
import { isApiError } from '../lib/api-client.ts';
import { errorText } from '../lib/error-text.ts';
import { canAdminister } from '../lib/permissions.ts';
import { sessionQueries } from '../lib/queries.ts';
import {
  CALLS_PATH,
  CONTACTS_PATH,
  consolePath,
  Link,
  matchPath,
  navigate,
  SETTINGS_SECTIONS,
  SETUP_GUIDE_PATH,
  type SettingsSection,
  useLocation,
  WALL_PATH,
} from '../lib/router.tsx';
import { useEvents } from '../lib/use-events.ts';
import { Shell } from './shell.tsx';

// Pages most users never open are loaded on first visit, keeping the initial bundle small.
const WallPage = lazy(() => import('../features/wall/wall-page.tsx').then((m) => ({ default: m.WallPage })));
const WallSignedOut = lazy(() =>
  import('../features/wall/wall-page.tsx').then((m) => ({ default: m.WallSignedOut })),
);
const AccountPage = lazy(() =>
  import('../features/auth/account-page.tsx').then((m) => ({ default: m.AccountPage })),
);
const SettingsPage = lazy(() =>
  import('../features/settings/settings-page.tsx').then((m) => ({ default: m.SettingsPage })),
);
const ContactsPage = lazy(() =>
  import('../features/contacts/contacts-page.tsx').then((m) => ({ default: m.ContactsPage })),
);
const CallsPage = lazy(() =>
  import('../features/calls/calls-page.tsx').then((m) => ({ default: m.CallsPage })),
);
const CampaignsPage = lazy(() =>
  import('../features/campaigns/campaigns-page.tsx').then((m) => ({ default: m.CampaignsPage })),
);
const CampaignPanel = lazy(() =>
  import('../features/campaigns/campaign-panel.tsx').then((m) => ({ default: m.CampaignPanel })),
);
const ApiReferencePage = lazy(() =>
  import('../features/api-reference/api-reference-page.tsx').then((m) => ({ default: m.ApiReferencePage })),
);
const DialPage = lazy(() => import('../features/dial/dial-page.tsx').then((m) => ({ default: m.DialPage })));
const SetupGuidePage = lazy(() =>
  import('../features/setup-guide/setup-guide-page.tsx').then((m) => ({ default: m.SetupGuidePage })),
);

function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<p className="text-zinc-600 dark:text-zinc-400">Loading…</p>}>{children}</Suspense>
  );
}

function settingsSection(pathname: string): SettingsSection | undefined {
  if (pathname === '/settings') return 'phones';
  const section = matchPath('/settings/:section', pathname)?.section;
  return SETTINGS_SECTIONS.find((s) => s === section);
}

/** The route table: every signed-in page (the wall, outside the shell, is in `Gate`). */
function Routes({ user }: { user: SessionUser }) {
  const { pathname } = useLocation();
  const landedFor = useRef<string | null>(null);
  const single = user.phoneIds.length === 1 ? user.phoneIds[0] : undefined;

  // A user with exactly one phone lands in its console (once per sign-in, so "All phones" still works).
  useLayoutEffect(() => {
    if (landedFor.current === user.id) return;
    landedFor.current = user.id;
    if (single && pathname === '/') navigate(consolePath(single), { replace: true });
  }, [user.id, single, pathname]);

  if (pathname === '/') return <FleetPage isAdmin={canAdminister(user)} />;
  if (pathname === CONTACTS_PATH) {
    return (
      <Loading>
        <ContactsPage user={user} />
      </Loading>
    );
  }
  if (pathname === CALLS_PATH) {
    return (
      <Loading>
        <CallsPage user={user} />
      </Loading>
    );
  }
  const campaign = pathname === CAMPAIGNS_PATH ? {} : matchPath(`${CAMPAIGNS_PATH}/:id`, pathname);
  if (campaign && user.role !== 'viewer') {
    return (
      <Loading>
        <CampaignsPage user={user} campaignId={campaign.id} />
      </Loading>
    );
  }
  if (pathname === ACCOUNT_PATH) {
    return (
      <Loading>
        <AccountPage user={user} />
      </Loading>
    );
  }
  if (pathname === DIAL_PATH) {
    return (
      <Loading>
        <DialPage user={user} />
      </Loading>
    );
  }
  if (pathname === SETUP_GUIDE_PATH) {
    return (
      <Loading>
        <SetupGuidePage />
      </Loading>
    );
  }
  if (pathname === API_REFERENCE_PATH && canAdminister(user)) {
    return (
      <Loading>
        <ApiReferencePage />
      </Loading>
    );
  }
  const section = settingsSection(pathname);
  if (section && canAdminister(user)) {
    return (
      <Loading>
        <SettingsPage section={section} user={user} />
      </Loading>
    );
  }
  const phone = matchPath('/phones/:id', pathname);
  if (phone?.id) {
    return (
      <ConsolePage
        key={phone.id}
        phoneId={phone.id}
        user={user}
        renderKeypad={(props) => <Keypad {...props} />}
        renderCampaign={(props) => (
          <Suspense fallback={null}>
            <CampaignPanel {...props} user={user} />
          </Suspense>
        )}
      />
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <h1 className="font-semibold text-2xl">Page not found</h1>
      <p>
        <Link href="/" className="text-blue-700 underline dark:text-blue-300">
          All phones
        </Link>
      </p>
    </div>
  );
}

function Gate() {
  const session = useQuery({
    ...sessionQueries.current(),
    // At start the server may still be booting: keep asking, with a growing pause.
    retry: (_failures, error) =>
      isApiError(error) && (error.code === 'network' || error.code === 'server_unavailable'),
    retryDelay: (failures) => Math.min(1000 * 2 ** failures, 15_000),
  });
  const user = session.data;
  const { pathname } = useLocation();
  useEvents(Boolean(user && !user.mustChangePassword));

  if (user === undefined) {
    return (
      <main id="main" className="flex min-h-dvh items-center justify-center p-4">
        {session.isError || session.failureCount > 0 ? (
          <div role="alert" className="max-w-md text-center">
            <h1 className="font-semibold text-xl">LineDeck cannot start yet</h1>
            <p>{errorText(session.error ?? session.failureReason)} It keeps trying.</p>
          </div>
        ) : (
          <p className="text-zinc-600 dark:text-zinc-400">Connecting to LineDeck…</p>
        )}
      </main>
    );
  }
  if (user === null) {
    return pathname === WALL_PATH ? (
      <Suspense fallback={null}>
        <WallSignedOut />
      </Suspense>
    ) : (
      <SignInPage />
    );
  }
  if (user.mustChangePassword) return <ChangePasswordPage user={user} />;
  const consolePhoneId = matchPath('/phones/:id', pathname)?.id;
  if (pathname === WALL_PATH) {
    return (
      <Suspense fallback={null}>
        <WallPage />
      </Suspense>
    );
  }
  return (
    <Shell
      user={user}
      alerts={
        <>
          <IncomingCall user={user} consolePhoneId={consolePhoneId} />
          <ScreenPopOpener user={user} consolePhoneId={consolePhoneId} />
        </>
      }
    >
      <Routes user={user} />
      <ShortcutsDialog
        shortcuts={[...CONSOLE_SHORTCUTS, ...CAMPAIGN_SHORTCUTS]}
        note="On a phone's console. They never fire while you type in a field."
      />
    </Shell>
  );
}

export function App() {
  return (
    <>
      <OfflineBanner />
      <Gate />
      <ToastRegion />
    </>
  );
}
