/**
 * Browser notifications for ringing calls while the tab is hidden, once the user has allowed them
 * (asked only from a click: browsers ignore or penalise permission prompts without a user gesture).
 * Clicking one brings the tab forward on the phone's console; a notification closes by itself
 * when its call stops ringing. Bounded: one entry per call that is ringing now.
 */
import { useEffect, useRef, useState } from 'react';
import { consolePath, navigate } from '../../lib/router.tsx';
import { callerText, type RingingCall } from './ringing-calls.ts';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

function currentPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function useCallNotifications(calls: readonly RingingCall[]): {
  permission: NotificationPermissionState;
  request: () => void;
} {
  const [permission, setPermission] = useState(currentPermission);
  const open = useRef(new Map<string, Notification>());
  // Calls that were already shown one way or another: a tab that becomes hidden later does not notify old rings.
  const seen = useRef(new Set<string>());

  useEffect(() => {
    const live = new Set(calls.map((c) => c.key));
    for (const [key, notification] of open.current) {
      if (!live.has(key)) {
        notification.close();
        open.current.delete(key);
      }
    }
    for (const key of seen.current) if (!live.has(key)) seen.current.delete(key);

    for (const call of calls) {
      if (seen.current.has(call.key)) continue;
      seen.current.add(call.key);
      if (permission !== 'granted' || document.visibilityState !== 'hidden') continue;
      try {
        const notification = new Notification(`Incoming call on ${call.phoneName}`, {
          body: callerText(call),
          tag: call.key,
          requireInteraction: true,
        });
        notification.onclick = () => {
          window.focus();
          navigate(consolePath(call.phoneId));
          notification.close();
        };
        open.current.set(call.key, notification);
      } catch {
        // Some browsers only allow notifications from a service worker: the pop-up still shows.
      }
    }
  }, [calls, permission]);

  useEffect(() => {
    const notifications = open.current;
    return () => {
      for (const notification of notifications.values()) notification.close();
      notifications.clear();
    };
  }, []);

  const request = () => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission, () => setPermission(currentPermission()));
  };
  return { permission, request };
}
