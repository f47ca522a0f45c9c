import type { Phone } from '@linedeck/contract';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { queryClient } from '../../lib/query-client.ts';
import { elapsedMs, useNow } from '../../lib/time.ts';
import { toast } from '../../lib/toasts.ts';

/** The phone's Action URL events LineDeck listens for (docs/phone-setup.md, "Faster updates with Action URL"). */
export const ACTION_URL_EVENTS = [
  { label: 'Incoming Call', pValue: 'P8310', event: 'incoming', caller: true },
  { label: 'Outgoing Call', pValue: 'P8311', event: 'outgoing', caller: true },
  { label: 'Established', pValue: 'P8313', event: 'established', caller: true },
  { label: 'Terminated', pValue: 'P8314', event: 'terminated', caller: true },
  { label: 'Missed Call', pValue: 'P8312', event: 'missed', caller: true },
  { label: 'Hold', pValue: 'P8324', event: 'hold', caller: false },
  { label: 'Unhold', pValue: 'P8325', event: 'unhold', caller: false },
  { label: 'DND On', pValue: 'P8316', event: 'dnd_on', caller: false },
  { label: 'DND Off', pValue: 'P8317', event: 'dnd_off', caller: false },
  { label: 'Forward On', pValue: 'P8318', event: 'forward_on', caller: false },
  { label: 'Forward Off', pValue: 'P8319', event: 'forward_off', caller: false },
] as const;

/**
 * The phone's variables for the caller, so a trusted push can name a ring the next poll may never see.
 * Names arrive with raw spaces; the server's hook takes such request lines (docs/phone-setup.md).
 */
export const CALLER_VARIABLES = 'remote=$remote&name=$display_remote';

/** The URL to paste for one event (with the caller's variables for call events). */
export function eventUrl(url: string, event: string, caller = false): string {
  const query = `event=${encodeURIComponent(event)}${caller ? `&${CALLER_VARIABLES}` : ''}`;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** "12 s ago", "4 min ago", "2 h ago", "3 d ago". */
export function agoText(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} d ago`;
}

/** A URL the phone cannot reach: this computer's own address (LineDeck was opened on the server itself). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** Copies through a selected, hidden text field: the way that works where the Clipboard API does not. */
function copyBySelection(value: string): boolean {
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

async function copy(value: string, focusAfter: HTMLInputElement | null): Promise<void> {
  try {
    await navigator.clipboard.writeText(value);
    toast.success('Copied');
  } catch {
    // No Clipboard API on plain http at a LAN address: the older way, else select the URL for Ctrl+C.
    const copied = copyBySelection(value);
    if (copied) toast.success('Copied');
    else {
      focusAfter?.select();
      toast.info('Press Ctrl+C (or ⌘C) to copy the selected URL, then add the event to it.');
    }
  }
}

const MUTED = 'text-zinc-600 dark:text-zinc-400';

/** "Last push 12 s ago" / the text for never; the exact time in the title. */
function PushTime({
  label,
  at,
  now,
  never,
}: {
  label: string;
  at: string | null | undefined;
  now: number;
  never: string;
}) {
  const age = elapsedMs(at, now);
  if (!at || age === undefined) return <>{never}</>;
  return (
    <>
      {label}{' '}
      <time dateTime={at} title={new Date(at).toLocaleString()}>
        {agoText(age)}
      </time>
    </>
  );
}

/**
 * A new hook token for the phone, after a confirmation: the old URL stops being trusted at once, so the
 * phone's Action URL settings must be pasted again. The server answers the phone with its new URL.
 */
function RotateToken({ phoneId, phoneName }: { phoneId: string; phoneName: string }) {
  const [open, setOpen] = useState(false);
  const rotate = useMutation({
    mutationFn: () => api<Phone>(`/api/phones/${encodeURIComponent(phoneId)}/hook-token`, { method: 'POST' }),
    onSuccess: (phone) => {
      const key = phoneQueries.one(phoneId).queryKey;
      if (phone?.actionUrl) queryClient.setQueryData(key, phone);
      void queryClient.invalidateQueries({ queryKey: key });
      toast.success(`New Action URL for ${phoneName}: paste it into the phone again.`);
      setOpen(false);
    },
  });
  const close = () => {
    setOpen(false);
    rotate.reset();
  };
  return (
    <>
      <div>
        <Button size="sm" onClick={() => setOpen(true)} aria-label={`Rotate token for ${phoneName}`}>
          Rotate token
        </Button>
      </div>
      <Dialog
        open={open}
        onClose={close}
        title={`Rotate the token of ${phoneName}?`}
        description="The current Action URL stops being trusted at once: pushes to it only wake LineDeck up, until you paste the new URL into the phone's Action URL settings. Do this when the URL may have been seen by someone else."
      >
        {rotate.error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {errorText(rotate.error)}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button variant="danger" pending={rotate.isPending} onClick={() => rotate.mutate()}>
            Rotate token
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/**
 * "Faster updates" of one phone: the Action URL to paste into the phone's web interface (it carries the
 * phone's secret hook token), for which events, when the last push and the last trusted push arrived
 * (the server's answer, polled while shown), and rotating the token.
 */
export function ActionUrlPanel({ phoneId, phoneName }: { phoneId: string; phoneName: string }) {
  const details = useQuery(phoneQueries.one(phoneId));
  const now = useNow();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const action = details.data?.actionUrl;

  return (
    <section
      aria-label={`Faster updates for ${phoneName}`}
      className="sticky left-0 flex max-w-[calc(100vw-4.5rem)] flex-col gap-3 rounded-lg border border-zinc-200 bg-zinc-50 p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <p>
        Optional: {phoneName} can tell LineDeck the moment a call starts or ends, instead of waiting for the
        next poll. In the phone's web interface open <strong>Settings → Action URL</strong>, paste the URL
        below for each event, then press <strong>Save and Apply</strong>.
      </p>
      {details.isPending ? (
        <p>Loading…</p>
      ) : details.isError && !details.data ? (
        <p className="text-red-700 dark:text-red-300">{errorText(details.error)}</p>
      ) : !action ? (
        <p className={MUTED}>This server does not offer an Action URL.</p>
      ) : (
        <>
          <div className="flex flex-col gap-0.5">
            <p className="font-medium">
              <PushTime
                label="Last push"
                at={action.lastReceivedAt}
                now={now}
                never="No push received yet: updates come from polling every second."
              />
            </p>
            <p>
              <PushTime
                label="Last trusted push (with the token)"
                at={action.lastTrustedAt}
                now={now}
                never="No trusted push yet."
              />
            </p>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={inputId} className="font-medium">
              Action URL for {phoneName}
            </label>
            <div className="flex flex-wrap gap-2">
              <input
                id={inputId}
                ref={inputRef}
                readOnly
                value={action.url}
                aria-describedby={hintId}
                className="min-w-0 flex-1 font-mono text-sm"
                onFocus={(e) => e.target.select()}
              />
              <Button
                size="sm"
                aria-label={`Copy Action URL for ${phoneName}`}
                onClick={() => void copy(action.url, inputRef.current)}
              >
                Copy
              </Button>
            </div>
            <p id={hintId} className={`text-xs ${MUTED}`}>
              <strong className="font-semibold text-zinc-800 dark:text-zinc-200">
                This URL holds a secret token: only admins see it; paste it into the phone, nowhere else.
              </strong>{' '}
              {isLoopbackUrl(action.url)
                ? "This is this computer's own address, which the phone cannot reach: replace the host with the address the phone reaches LineDeck at."
                : 'Built from the address you opened LineDeck with: the phone must reach LineDeck at this address, directly (no proxy or NAT).'}
            </p>
          </div>
          <table className="w-auto text-left">
            <caption className="sr-only">Events to set the Action URL for on {phoneName}</caption>
            <thead>
              <tr>
                <th className="py-1 pr-3 font-medium">Event on the phone</th>
                <th className="py-1 pr-3 font-medium">P-value</th>
                <th className="py-1 pr-3 font-medium">Paste the URL with</th>
                <th className="py-1">
                  <span className="sr-only">Copy</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ACTION_URL_EVENTS.map((e) => (
                <tr key={e.event} className="border-zinc-200 border-t dark:border-zinc-800">
                  <td className="py-1 pr-3">{e.label}</td>
                  <td className={`py-1 pr-3 font-mono ${MUTED}`}>{e.pValue}</td>
                  <td className="break-all py-1 pr-3 font-mono">
                    …?event={e.event}
                    {e.caller ? `&${CALLER_VARIABLES}` : ''}
                  </td>
                  <td className="py-1">
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Copy the ${e.label} URL for ${phoneName}`}
                      onClick={() => void copy(eventUrl(action.url, e.event, e.caller), inputRef.current)}
                    >
                      Copy
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={`text-xs ${MUTED}`}>
            A push with the token is trusted: LineDeck shows its caller and Do Not Disturb news at once. A
            push without it (an old URL) only wakes LineDeck up to read the phone as usual. Polling carries on
            either way, so a missed push costs nothing but the usual delay. The call events carry the
            caller&apos;s number and name ($remote, $display_remote), so even a ring that ends before the next
            read is shown and remembered.
          </p>
          <RotateToken phoneId={phoneId} phoneName={phoneName} />
        </>
      )}
    </section>
  );
}
