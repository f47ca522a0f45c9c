/**
 * "Call back" for a journal call: from the phone it was on when the user may control that phone, else
 * from the user's "Call from" phone (contacts/call-from.tsx). The number is dialled as the phone showed
 * it, after the same check as a typed number; one that cannot be dialled (a SIP address, "anonymous")
 * gets no button.
 */
import type { Call, SessionUser } from '@linedeck/contract';
import { Button } from '../../components/ui/button.tsx';
import { checkDialNumber } from '../../lib/dial-number.ts';
import { useMakeCall } from '../../lib/mutations.ts';
import { canControl } from '../../lib/permissions.ts';

/** The phone a call back is placed from, undefined when the user may dial from none. */
export function callBackPhone(
  call: Pick<Call, 'phoneId'>,
  user: SessionUser,
  callFromPhoneId: string | undefined,
): string | undefined {
  return canControl(user, call.phoneId) ? call.phoneId : callFromPhoneId;
}

/** The number to dial back, undefined when it is no dialable number. */
export function callBackNumber(call: Pick<Call, 'remoteNumber'>): string | undefined {
  const check = checkDialNumber(call.remoteNumber);
  return check.ok ? check.number : undefined;
}

export function CallBackButton({
  phoneId,
  phoneName,
  number,
  who,
  size = 'sm',
}: {
  phoneId: string;
  phoneName: string;
  number: string;
  /** The caller as the row shows them, for the button's accessible name. */
  who: string;
  size?: 'sm' | 'md';
}) {
  const makeCall = useMakeCall(phoneId);
  return (
    <Button
      variant="success"
      size={size}
      aria-label={`Call back ${who} from ${phoneName}`}
      title={`Call ${number} from ${phoneName}`}
      pending={makeCall.isPending}
      onClick={() => makeCall.mutate({ number })}
    >
      Call back
    </Button>
  );
}
