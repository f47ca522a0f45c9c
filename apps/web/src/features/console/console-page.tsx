import type { SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { openShortcuts } from '../../components/ui/shortcuts-dialog.tsx';
import { errorText } from '../../lib/error-text.ts';
import { canAdminister, canControl } from '../../lib/permissions.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { Link } from '../../lib/router.tsx';
import { CallHandling } from './call-handling.tsx';
import { ConsoleHeader } from './console-header.tsx';
import { Dialer } from './dialer.tsx';
import { LineBoard } from './line-board.tsx';
import { MobileCallBar } from './mobile-call-bar.tsx';
import { PhoneHealth } from './phone-health.tsx';
import { RecentCalls } from './recent-calls.tsx';
import { SystemMenu } from './system-menu.tsx';
import { useConsoleShortcuts } from './use-console-shortcuts.ts';

/** What the console hands to the keypad, which app/ plugs in (features do not import each other). */
export interface KeypadSlotProps {
  phoneId: string;
  /** How many line keys the phone has (from its line status). */
  lineCount: number;
  /** A call is up: digits go to the phone as DTMF instead of into the Number field. */
  callActive: boolean;
  /** A digit for the Number field. */
  onDigit: (digit: string) => void;
}

interface ConsolePageProps {
  phoneId: string;
  user: SessionUser;
  renderKeypad?: (props: KeypadSlotProps) => ReactNode;
  /** The phone's campaign, or a call list to start (features/campaigns), for users who may dial on it. */
  renderCampaign?: (props: { phoneId: string; phoneName: string }) => ReactNode;
}

export function ConsolePage({ phoneId, user, renderKeypad, renderCampaign }: ConsolePageProps) {
  const phones = useQuery(phoneQueries.list());
  const state = useQuery(phoneQueries.state(phoneId));
  const [number, setNumber] = useState('');
  const numberRef = useRef<HTMLInputElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const phone = phones.data?.find((p) => p.id === phoneId);
  const control = canControl(user, phoneId);
  const admin = canAdminister(user);

  useEffect(() => {
    document.title = `${phone?.name ?? 'Phone'} · LineDeck`;
  }, [phone?.name]);

  useConsoleShortcuts(rootRef, numberRef, control);

  const onDigit = useCallback((digit: string) => setNumber((n) => (n.length < 64 ? n + digit : n)), []);

  if (phones.isPending) return <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>;
  if (!phone) {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="font-semibold text-2xl">Phone not found</h1>
        <p>
          {phones.isError ? errorText(phones.error) : 'This phone does not exist, or you may not see it.'}
        </p>
        <p>
          <Link href="/" className="text-blue-700 underline dark:text-blue-300">
            All phones
          </Link>
        </p>
      </div>
    );
  }

  const lines = state.data?.lines ?? [];
  const callActive = lines.some((l) => l.state === 'connected' || l.conference);

  return (
    <div ref={rootRef} className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link
          href="/"
          className="inline-flex items-center text-blue-700 underline-offset-2 hover:underline max-sm:min-h-11 dark:text-blue-300"
        >
          <span aria-hidden="true">← </span>All phones
        </Link>
      </nav>
      <ConsoleHeader phone={phone} state={state.data} />
      {control && <CallHandling phone={phone} state={state.data} />}
      {state.data && <PhoneHealth phoneId={phoneId} state={state.data} isAdmin={admin} />}

      <div
        className={`grid gap-6 ${control ? 'lg:grid-cols-[minmax(0,1fr)_24rem] 2xl:grid-cols-[minmax(0,1fr)_28rem]' : ''}`}
      >
        <section aria-labelledby="lines-heading" className="flex min-w-0 flex-col gap-3">
          <h2 id="lines-heading" className="font-semibold text-lg">
            Lines
          </h2>
          {state.isPending ? (
            <p className="text-zinc-600 dark:text-zinc-400">Loading lines…</p>
          ) : lines.length === 0 ? (
            <p className="text-zinc-600 dark:text-zinc-400">
              {state.isError && !state.data ? errorText(state.error) : 'No line status from this phone yet.'}
            </p>
          ) : (
            <LineBoard phoneId={phoneId} lines={lines} flow={state.data?.flow} canControl={control} />
          )}
        </section>

        {control && (
          <section aria-labelledby="dial-heading" className="flex min-w-0 flex-col gap-4">
            <div className="flex items-center justify-between gap-2">
              <h2 id="dial-heading" className="font-semibold text-lg">
                Dial
              </h2>
              {/* Touch screens have no keys to press: the list is for keyboards. */}
              <Button variant="ghost" size="sm" className="max-sm:hidden" onClick={openShortcuts}>
                Keyboard shortcuts <kbd className="font-mono">?</kbd>
              </Button>
            </div>
            <Dialer
              phoneId={phoneId}
              accounts={state.data?.accounts ?? []}
              number={number}
              onNumberChange={setNumber}
              inputRef={numberRef}
            />
            {renderKeypad?.({ phoneId, lineCount: lines.length, callActive, onDigit })}
            {renderCampaign?.({ phoneId, phoneName: phone.name })}
          </section>
        )}
      </div>

      <RecentCalls phoneId={phoneId} phoneName={phone.name} canDial={control} />
      {admin && <SystemMenu phone={phone} />}
      {control && <MobileCallBar phoneId={phoneId} lines={lines} flow={state.data?.flow} />}
    </div>
  );
}
