import type { SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useLayoutEffect, useRef } from 'react';
import { OfflineBanner } from '../components/ui/offline-banner.tsx';
import { ToastRegion } from '../components/ui/toast-region.tsx';
import { ChangePasswordPage } from '../features/auth/change-password-page.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { ConsolePage } from '../features/console/console-page.tsx';
import { FleetPage } from '../features/fleet/fleet-page.tsx';
import { Keypad } from '../features/keypad/keypad.tsx';
import { isApiError } from '../lib/api-client.ts';
import { errorText } from '../lib/error-text.ts';
import { canAdminister } from '../lib/permissions.ts';
import { sessionQueries } from '../lib/queries.ts';
import { consolePath, Link, matchPath, navigate, useLocation } from '../lib/router.tsx';
import { useEvents } from '../lib/use-events.ts';
import { Shell } from './shell.tsx';

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
  const phone = matchPath('/phones/:id', pathname);
  if (phone?.id) {
    return (
      <ConsolePage
        key={phone.id}
        phoneId={phone.id}
        user={user}
        renderKeypad={(props) => <Keypad {...props} />}
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
  if (user === null) return <SignInPage />;
  if (user.mustChangePassword) return <ChangePasswordPage user={user} />;
  return (
    <Shell user={user}>
      <Routes user={user} />
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
