import { useConnectivity } from '../../lib/connectivity.ts';
import { formatDuration, useNow } from '../../lib/time.ts';

/**
 * Shown while the server does not answer (or this device has no network). What
 * is on screen stays, each item with its age; polling and the event stream
 * reconnect by themselves.
 */
export function OfflineBanner() {
  const { state, since } = useConnectivity();
  const now = useNow();
  if (state === 'ok') return null;
  return (
    <div
      role="alert"
      className="sticky top-0 z-40 border-amber-400 border-b bg-amber-100 px-4 py-2 text-center text-amber-950 text-sm dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <strong>
        {state === 'device_offline' ? 'This device is offline' : 'The LineDeck server is not answering'}
      </strong>{' '}
      (for {formatDuration(Math.max(0, now - since))}). What you see may be out of date; it updates again by
      itself once the connection is back.
    </div>
  );
}
