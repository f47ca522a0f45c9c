/**
 * Opens the user's screen pop for calls on the phones they watch (the incoming-call pop-up's rule).
 * Browsers block a window opened without a click, unless the person allowed pop-ups for LineDeck:
 * then a link to open it by hand is shown instead.
 */
import type { SessionUser } from '@linedeck/contract';
import { expandScreenPop } from '@linedeck/contract/screen-pop-template';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { phoneQueries } from '../../lib/queries.ts';
import { watchedPhoneIds } from '../incoming-call/ringing-calls.ts';
import { screenPopQuery } from './screen-pop-api.ts';
import { ScreenPopWatch } from './screen-pop-watch.ts';

export function ScreenPopOpener({ user, consolePhoneId }: { user: SessionUser; consolePhoneId?: string }) {
  const settings = useQuery({ ...screenPopQuery, enabled: user.role !== 'viewer' });
  const template = settings.data?.template ?? null;
  const openOn = settings.data?.openOn ?? 'ringing';
  const watched = template ? watchedPhoneIds(user, consolePhoneId) : [];
  const states = useQueries({ queries: watched.map((id) => phoneQueries.state(id)) });
  const phones = useQuery({ ...phoneQueries.list(), enabled: watched.length > 0 });
  const watch = useRef(new ScreenPopWatch());
  const [blocked, setBlocked] = useState<string>();
  const stamp = states.map((s) => s.dataUpdatedAt).join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `stamp` changes exactly when a state does
  useEffect(() => {
    if (!template) return;
    const names = new Map((phones.data ?? []).map((p) => [p.id, p.name]));
    const current = states.flatMap((s) =>
      s.data ? [{ state: s.data, phoneName: names.get(s.data.phoneId) ?? '' }] : [],
    );
    for (const values of watch.current.next(current, openOn)) {
      const url = expandScreenPop(template, values);
      const opened = window.open(url, 'linedeck-screen-pop');
      if (opened) opened.opener = null;
      else setBlocked(url);
    }
  }, [stamp, template, openOn]);

  if (!blocked) return null;
  return (
    <section
      aria-label="Screen pop"
      className="flex flex-wrap items-center gap-2 rounded-md border border-zinc-300 p-2 text-sm dark:border-zinc-700"
    >
      <span>The browser blocked the screen pop.</span>
      <a
        href={blocked}
        target="_blank"
        rel="noopener noreferrer"
        className="text-blue-700 underline dark:text-blue-300"
      >
        Open it
      </a>
      <Button size="sm" variant="ghost" onClick={() => setBlocked(undefined)}>
        Dismiss
      </Button>
    </section>
  );
}
