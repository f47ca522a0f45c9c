/**
 * A browser notification when a call is missed on a phone the user watches while the tab is in the
 * background. The permission is the one the incoming-call pop-up asks for (from a click); nothing is
 * asked here. Each call is notified once; its click opens the missed calls of that phone.
 */
import type { Call, SessionUser } from '@linedeck/contract';
import { useEffect, useRef } from 'react';
import { callerText } from '../../lib/caller.ts';
import { onJournalCall } from '../../lib/calls-queries.ts';
import { navigate } from '../../lib/router.tsx';
import { callsPath } from './calls-filter.ts';

/** A missed call older than this when it arrives is old news (a replay after a reconnect). */
const FRESH_MS = 5 * 60_000;
/** Notified call ids remembered, so a changed call is not notified again; bounded. */
const REMEMBERED = 200;

/** Whose missed calls notify: the user's phones; without any, the phone whose console is open. */
export function notifiesFor(user: SessionUser, call: Call, consolePhoneId: string | undefined): boolean {
  if (call.direction !== 'incoming' || call.outcome !== 'missed') return false;
  return user.phoneIds.length > 0 ? user.phoneIds.includes(call.phoneId) : call.phoneId === consolePhoneId;
}

export function useMissedNotifications(
  user: SessionUser,
  consolePhoneId: string | undefined,
  phoneName: (id: string) => string | undefined,
): void {
  const latest = useRef({ user, consolePhoneId, phoneName });
  latest.current = { user, consolePhoneId, phoneName };

  useEffect(() => {
    const notified = new Set<string>();
    return onJournalCall((call) => {
      const { user, consolePhoneId, phoneName } = latest.current;
      if (!notifiesFor(user, call, consolePhoneId) || notified.has(call.id)) return;
      notified.add(call.id);
      if (notified.size > REMEMBERED) notified.delete(notified.values().next().value as string);
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      if (document.visibilityState !== 'hidden') return;
      if (Date.now() - Date.parse(call.endedAt ?? call.startedAt) > FRESH_MS) return;
      try {
        const notification = new Notification(`Missed call on ${phoneName(call.phoneId) ?? 'a phone'}`, {
          body: callerText(call),
          tag: `missed:${call.id}`,
        });
        notification.onclick = () => {
          window.focus();
          navigate(callsPath({ phoneId: call.phoneId, outcome: 'missed' }));
          notification.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: the badge still counts it.
      }
    });
  }, []);
}
