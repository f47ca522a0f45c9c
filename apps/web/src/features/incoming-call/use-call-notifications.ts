/**
 * Browser notifications for ringing calls while the tab is hidden, once the user has allowed them
 * (asked only from a click: browsers ignore or penalise permission prompts without a user gesture).
 * Where the browser can, the notification comes from a tiny service worker and carries Answer and
 * Reject (only a service worker's notifications may have buttons); elsewhere it is a plain
 * notification whose click brings the tab forward on the phone's console. Either closes by itself
 * when its call stops ringing. Bounded: one entry per call that is ringing now.
 */
import { useEffect, useRef, useState } from 'react';
import { consolePath, navigate } from '../../lib/router.tsx';
import { callerText, type RingingCall } from './ringing-calls.ts';

export type NotificationPermissionState = NotificationPermission | 'unsupported';
export type CallAction = 'answer' | 'reject';

const WORKER_URL = '/call-notifications-sw.js';
const MESSAGE_TYPE = 'linedeck:call-action';

function currentPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Notification buttons exist only with a service worker, and only where the browser shows them. */
function actionsSupported(): boolean {
  return (
    'serviceWorker' in navigator &&
    typeof Notification !== 'undefined' &&
    'maxActions' in Notification &&
    ((Notification as unknown as { maxActions: number }).maxActions ?? 0) >= 2
  );
}

let registering: Promise<ServiceWorkerRegistration | undefined> | undefined;
/** Registers the notification worker once per page; undefined where there is none (plain http on a LAN). */
function notificationWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!actionsSupported()) return Promise.resolve(undefined);
  registering ??= navigator.serviceWorker
    .register(WORKER_URL)
    .then(() => navigator.serviceWorker.ready)
    .catch(() => undefined);
  return registering;
}

interface Shown {
  close: () => void;
}

function showPlain(call: RingingCall): Shown | undefined {
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
    return notification;
  } catch {
    // Some browsers only allow notifications from a service worker: the pop-up still shows.
    return undefined;
  }
}

function showWithActions(registration: ServiceWorkerRegistration, call: RingingCall): Shown {
  const options: NotificationOptions & { actions: { action: string; title: string }[] } = {
    body: callerText(call),
    tag: call.key,
    requireInteraction: true,
    data: { key: call.key, url: consolePath(call.phoneId) },
    actions: [
      { action: 'answer', title: 'Answer' },
      { action: 'reject', title: 'Reject' },
    ],
  };
  let closed = false;
  const closeAll = () =>
    void registration.getNotifications({ tag: call.key }).then((list) => {
      for (const n of list) n.close();
    });
  void registration.showNotification(`Incoming call on ${call.phoneName}`, options).then(() => {
    // The call may have stopped ringing while the notification was being shown.
    if (closed) closeAll();
  });
  return {
    close: () => {
      closed = true;
      closeAll();
    },
  };
}

export function useCallNotifications(
  calls: readonly RingingCall[],
  onAction: (call: RingingCall, action: CallAction) => void,
): { permission: NotificationPermissionState; request: () => void } {
  const [permission, setPermission] = useState(currentPermission);
  const open = useRef(new Map<string, Shown>());
  // Calls that were already shown one way or another: a tab that becomes hidden later does not notify old rings.
  const seen = useRef(new Set<string>());
  const latest = useRef({ calls, onAction });
  latest.current = { calls, onAction };

  useEffect(() => {
    if (permission === 'granted') void notificationWorker();
  }, [permission]);

  useEffect(() => {
    const live = new Set(calls.map((c) => c.key));
    for (const [key, shown] of open.current) {
      if (!live.has(key)) {
        shown.close();
        open.current.delete(key);
      }
    }
    for (const key of seen.current) if (!live.has(key)) seen.current.delete(key);

    for (const call of calls) {
      if (seen.current.has(call.key)) continue;
      seen.current.add(call.key);
      if (permission !== 'granted' || document.visibilityState !== 'hidden') continue;
      void notificationWorker().then((registration) => {
        if (!live.has(call.key) || open.current.has(call.key)) return;
        const shown = registration ? showWithActions(registration, call) : showPlain(call);
        if (shown) open.current.set(call.key, shown);
      });
    }
  }, [calls, permission]);

  // A click on a notification's button, handed over by the worker: acted on only while that very
  // call (phone, line, ring) is still ringing here.
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const listener = (event: MessageEvent) => {
      const data = event.data as { type?: string; action?: string; key?: string } | null;
      if (data?.type !== MESSAGE_TYPE) return;
      event.ports[0]?.postMessage(true);
      const call = latest.current.calls.find((c) => c.key === data.key);
      if (data.action === 'answer' || data.action === 'reject') {
        if (call) latest.current.onAction(call, data.action);
        return;
      }
      window.focus();
      if (call) navigate(consolePath(call.phoneId));
    };
    navigator.serviceWorker.addEventListener('message', listener);
    // addEventListener (unlike onmessage) leaves the worker's messages queued until this call.
    navigator.serviceWorker.startMessages();
    return () => navigator.serviceWorker.removeEventListener('message', listener);
  }, []);

  useEffect(() => {
    const notifications = open.current;
    return () => {
      for (const shown of notifications.values()) shown.close();
      notifications.clear();
    };
  }, []);

  const request = () => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission, () => setPermission(currentPermission()));
  };
  return { permission, request };
}
