/*
 * LineDeck's only service worker, registered for call notifications alone: a notification can carry
 * Answer and Reject buttons only when a service worker shows it. It caches nothing and handles no
 * fetch. A click is handed to one open LineDeck tab, which checks that the call still rings on that
 * line before it sends anything (an old notification must never answer a newer call).
 */
const ACTIONS = new Set(['answer', 'reject']);

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** Asks one tab to act; resolves true when it took the request (it has the call list). */
function ask(client, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 2000);
    channel.port1.onmessage = (reply) => {
      clearTimeout(timer);
      resolve(reply.data === true);
    };
    client.postMessage(message, [channel.port2]);
  });
}

async function handleClick(notification, action) {
  const data = notification.data || {};
  const message = { type: 'linedeck:call-action', action, key: data.key };
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  // The focused tab first, then the others: exactly one of them acts.
  windows.sort((a, b) => Number(b.focused) - Number(a.focused));
  for (const client of windows) {
    if (action === 'open') await client.focus().catch(() => undefined);
    if (await ask(client, message)) return;
  }
  if (action === 'open' && data.url) await self.clients.openWindow(data.url);
}

self.addEventListener('notificationclick', (event) => {
  const action = ACTIONS.has(event.action) ? event.action : 'open';
  event.notification.close();
  event.waitUntil(handleClick(event.notification, action));
});
