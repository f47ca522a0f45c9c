import type { Call, Contact } from '@linedeck/contract';
import { type CountryCode, formatNumber } from '@linedeck/contract/numbers';
import { memo, useMemo } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { addedContactFor } from './added-contacts.ts';
import { CallBackButton, callBackNumber } from './call-actions.tsx';
import { CallKind, CallWhen } from './call-parts.tsx';
import { durationsText } from './call-text.ts';

/** Every prop is a value or a stable reference: rows re-render only when their call or the clock moves. */
export interface CallRowProps {
  call: Call;
  phoneName: string;
  country: CountryCode | null;
  /** Contacts added from this page since the calls were recorded. */
  added: readonly Contact[];
  /** The phone "Call back" dials from; undefined: the user may dial from none. */
  callBackPhoneId: string | undefined;
  callBackPhoneName: string;
  /** Set when the user may add contacts. */
  onAddContact: ((call: Call) => void) | undefined;
  /** The clock, coarse (relative times move in steps). */
  now: number;
}

/** One call of the journal: when, which phone, direction and outcome (icon and word), who, how long. */
export const CallRow = memo(function CallRow({
  call,
  phoneName,
  country,
  added,
  callBackPhoneId,
  callBackPhoneName,
  onAddContact,
  now,
}: CallRowProps) {
  const contact = useMemo(
    () => call.contact ?? addedContactFor(call.remoteNumber, added, country) ?? null,
    [call.contact, call.remoteNumber, added, country],
  );
  const shownNumber = call.remoteNumber ? formatNumber(call.remoteNumber, country) : '';
  const dialBack = callBackNumber(call);
  const callBack = callBackPhoneId && dialBack ? { phoneId: callBackPhoneId, number: dialBack } : undefined;
  const name = contact?.name || call.remoteName;
  const who = name || shownNumber || 'Unknown caller';
  return (
    <tr className="align-top">
      <td className="py-2 pr-3">
        <CallWhen
          call={call}
          now={now}
          agoClassName="block whitespace-nowrap text-sm text-zinc-600 dark:text-zinc-400"
        />
      </td>
      <td className="py-2 pr-3">
        {phoneName}
        <span className="block text-sm text-zinc-600 dark:text-zinc-400">Line {call.line}</span>
      </td>
      <td className="py-2 pr-3">
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1 whitespace-nowrap">
          <CallKind call={call} />
        </span>
        {call.turnedAway === 'dnd' && (
          <span className="block text-sm text-zinc-600 dark:text-zinc-400">
            Turned away: Do not disturb was on
          </span>
        )}
        {call.interrupted && (
          <span className="block text-sm text-zinc-600 dark:text-zinc-400">
            Ended while LineDeck was stopped
          </span>
        )}
      </td>
      <td className="py-2 pr-3">
        <span className="block font-medium">{name || 'Unknown caller'}</span>
        {contact?.company && (
          <span className="block text-sm text-zinc-600 dark:text-zinc-400">{contact.company}</span>
        )}
        {shownNumber && <span className="block font-mono text-sm">{shownNumber}</span>}
      </td>
      <td className="whitespace-nowrap py-2 pr-3 text-sm tabular-nums">
        {call.outcome === null ? 'In progress' : durationsText(call)}
      </td>
      <td className="py-2">
        <span className="flex flex-wrap justify-end gap-2">
          {callBack && (
            <CallBackButton
              phoneId={callBack.phoneId}
              phoneName={callBackPhoneName}
              number={callBack.number}
              who={who}
            />
          )}
          {onAddContact && !contact && dialBack && (
            <Button
              size="sm"
              aria-label={`Add contact for ${shownNumber}`}
              onClick={() => onAddContact(call)}
            >
              Add contact
            </Button>
          )}
        </span>
      </td>
    </tr>
  );
});
