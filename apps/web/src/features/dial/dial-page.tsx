/**
 * /dial?number=...: where tel:/sip: links (registerProtocolHandler), the bookmarklet and other tools
 * send a number. It shows what would be dialled and from which phone, and dials only when the person
 * presses Call: a link on a web page must never start a call by being opened.
 */
import type { SessionUser } from '@linedeck/contract';
import { useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { useMakeCall } from '../../lib/mutations.ts';
import { useLocation } from '../../lib/router.tsx';
import { CallFromPicker, useCallFrom } from '../contacts/call-from.tsx';
import { ExtensionTones } from '../contacts/extension-tones.tsx';
import { useNumberFormat } from '../contacts/number-settings.ts';
import { dialParameter, readDialTarget } from './dial-target.ts';
import { bookmarklet, type RegisterOutcome, registerDialHandlers } from './protocol-handlers.ts';

const PANEL =
  'flex flex-col gap-3 rounded-2xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900';

export function DialPage({ user }: { user: SessionUser }) {
  const { search } = useLocation();
  const raw = dialParameter(search);
  const read = readDialTarget(raw);
  const format = useNumberFormat();
  const callFrom = useCallFrom(user);
  const makeCall = useMakeCall(callFrom.phoneId ?? '');
  const [tonesFor, setTonesFor] = useState<string>();

  useEffect(() => {
    document.title = 'Dial · LineDeck';
  }, []);

  return (
    <div className="flex max-w-xl flex-col gap-4">
      <h1 className="font-semibold text-2xl">Dial</h1>
      <section aria-label="Number to call" className={PANEL}>
        {raw === '' ? (
          <p>No number was given. Open a tel: or sip: link, or use the bookmarklet below.</p>
        ) : read.ok ? (
          <>
            <p className="font-mono text-2xl">{format(read.number, read.extension)}</p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Dials {read.number}
              {read.extension ? `, then ${read.extension} as tones once you say so` : ''}
            </p>
          </>
        ) : (
          <p role="alert">
            “{raw}” cannot be called: {read.reason}
          </p>
        )}
        {callFrom.phones.length === 0 ? (
          <p>You have no phone that can place a call now.</p>
        ) : (
          <CallFromPicker
            phones={callFrom.phones}
            phoneId={callFrom.phoneId}
            onChange={callFrom.setPhoneId}
          />
        )}
        {read.ok && callFrom.phoneId && (
          <div>
            <Button
              variant="success"
              pending={makeCall.isPending}
              onClick={() =>
                makeCall.mutate(
                  { number: read.number },
                  { onSuccess: () => setTonesFor(read.extension ? callFrom.phoneId : undefined) },
                )
              }
            >
              Call
            </Button>
          </div>
        )}
        {tonesFor && read.ok && read.extension && (
          <ExtensionTones
            phoneId={tonesFor}
            extension={read.extension}
            onDone={() => setTonesFor(undefined)}
          />
        )}
      </section>
      <PhoneLinks />
    </div>
  );
}

/** Offers to open tel:/sip: links here, and the bookmarklet for numbers that are not links. */
function PhoneLinks() {
  const [outcome, setOutcome] = useState<RegisterOutcome>();
  const code = bookmarklet(window.location.origin);
  return (
    <section aria-label="Phone links" className={PANEL}>
      <h2 className="font-semibold text-lg">Open phone links here</h2>
      <p className="text-sm">
        Let this browser open tel: and sip: links in LineDeck. (callto: links cannot be registered by any web
        app; the bookmarklet reads them.)
      </p>
      <div>
        <Button onClick={() => setOutcome(registerDialHandlers())}>
          Open tel: and sip: links in LineDeck
        </Button>
      </div>
      {outcome && (
        <p role="status">
          {outcome.ok
            ? `Asked the browser to open ${outcome.schemes.join(' and ')} links here: confirm in its prompt.`
            : outcome.reason}
        </p>
      )}
      <h2 className="font-semibold text-lg">Dial selected text</h2>
      <p className="text-sm">
        Add a bookmark with this as its address; select a number on any page and click the bookmark.
      </p>
      <textarea readOnly aria-label="Bookmarklet" rows={3} className="font-mono text-xs" value={code} />
    </section>
  );
}
