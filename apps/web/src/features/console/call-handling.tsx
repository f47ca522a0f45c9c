import type { Phone, PhoneState } from '@linedeck/contract';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { forwardText } from '../../lib/dnd-forward.ts';
import { toast } from '../../lib/toasts.ts';
import { flowErrorText } from '../call-flows/flow-errors.ts';
import { useSetDnd } from '../call-flows/flows-api.ts';
import { ForwardDialog } from './forward-dialog.tsx';

/**
 * Phones that answered "not available" to a forward change (firmware without known keys): asked once
 * per page load, then said calmly instead of offering a form that can only fail again.
 */
const forwardUnavailable = new Set<string>();

/** What turning DND on or off does, said before it is done. */
export const DND_EFFECT = {
  on: 'Callers will hear busy, and the phone will not ring until Do not disturb is turned off.',
  off: 'The phone will ring again for every call.',
} as const;

function DndState({ dnd }: { dnd: boolean | null }) {
  if (dnd === null) return <span className="text-zinc-600 dark:text-zinc-400">Unknown</span>;
  return <span className="font-semibold">{dnd ? 'On' : 'Off'}</span>;
}

/** A switch's look (the state is in words beside it too: never colour alone). */
function SwitchTrack({ on }: { on: boolean | null }) {
  return (
    <span
      aria-hidden="true"
      className={`relative inline-flex h-6 w-11 shrink-0 rounded-full transition-colors ${on ? 'bg-amber-600' : on === false ? 'bg-zinc-400 dark:bg-zinc-600' : 'bg-zinc-200 ring-1 ring-zinc-400 ring-dashed dark:bg-zinc-800'}`}
    >
      <span
        className={`absolute top-0.5 size-5 rounded-full bg-white shadow transition-transform ${on ? 'translate-x-5' : on === false ? 'translate-x-0.5' : 'translate-x-3'}`}
      />
    </span>
  );
}

/**
 * Do Not Disturb and call forward of a phone: the state the phone reported (unknown said as unknown),
 * a change only after a confirmation that says what it does, its progress and its outcome.
 */
export function CallHandling({ phone, state }: { phone: Phone; state: PhoneState | undefined }) {
  const setDnd = useSetDnd(phone.id);
  const [asking, setAsking] = useState<boolean | null>(null);
  const [forwarding, setForwarding] = useState(false);
  const [forwardMissing, setForwardMissing] = useState(() => forwardUnavailable.has(phone.id));
  const dnd = state?.dnd ?? null;
  const close = () => {
    setAsking(null);
    setDnd.reset();
  };
  const confirm = (on: boolean) =>
    setDnd.mutate(
      { on },
      {
        onSuccess: () => {
          close();
          toast.success(
            on ? `Do not disturb is on for ${phone.name}` : `Do not disturb is off for ${phone.name}`,
          );
        },
      },
    );

  return (
    <section aria-labelledby="call-handling-heading" className="flex flex-col gap-2">
      <h2 id="call-handling-heading" className="sr-only">
        Call handling
      </h2>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        <div className="flex items-center gap-2">
          {dnd === null ? (
            // A switch must be on or off: while the phone has not said, two plain choices instead.
            <fieldset aria-labelledby="dnd-unknown-label" className="flex items-center gap-2">
              <span id="dnd-unknown-label" className="font-medium">
                Do not disturb: <DndState dnd={dnd} />
              </span>
              <Button size="sm" onClick={() => setAsking(true)}>
                Turn on…
              </Button>
              <Button size="sm" onClick={() => setAsking(false)}>
                Turn off…
              </Button>
            </fieldset>
          ) : (
            <button
              type="button"
              role="switch"
              aria-checked={dnd}
              aria-busy={setDnd.isPending || undefined}
              onClick={() => setAsking(!dnd)}
              className="inline-flex min-h-8 cursor-pointer items-center gap-2 rounded-lg px-1 font-medium max-sm:min-h-11"
            >
              <SwitchTrack on={dnd} />
              Do not disturb
            </button>
          )}
          {dnd !== null && <DndState dnd={dnd} />}
        </div>
        <div className="flex items-center gap-2">
          <span className="font-medium">Call forward:</span>
          <span>{state?.forward ? (forwardText(state.forward) ?? 'Off') : 'Unknown'}</span>
          {forwardMissing ? (
            <span className="text-zinc-600 dark:text-zinc-400">
              (cannot be changed: not available on this phone)
            </span>
          ) : (
            <Button size="sm" onClick={() => setForwarding(true)}>
              Change…
            </Button>
          )}
        </div>
      </div>

      <Dialog
        open={asking !== null}
        onClose={close}
        title={
          asking ? `Turn on Do not disturb on ${phone.name}?` : `Turn off Do not disturb on ${phone.name}?`
        }
        description={asking ? DND_EFFECT.on : DND_EFFECT.off}
      >
        {setDnd.isPending && (
          <p role="status" className="text-sm">
            Asking the phone…
          </p>
        )}
        {setDnd.error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {isApiError(setDnd.error) && setDnd.error.code === 'not_available'
              ? `Not available on this phone: ${flowErrorText(setDnd.error)}`
              : flowErrorText(setDnd.error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button
            variant={asking ? 'danger' : 'primary'}
            pending={setDnd.isPending}
            onClick={() => asking !== null && confirm(asking)}
          >
            {asking ? 'Turn on' : 'Turn off'}
          </Button>
        </div>
      </Dialog>
      <ForwardDialog
        phone={phone}
        current={state?.forward ?? null}
        open={forwarding}
        onClose={() => setForwarding(false)}
        onUnavailable={() => {
          forwardUnavailable.add(phone.id);
          setForwardMissing(true);
        }}
      />
    </section>
  );
}
