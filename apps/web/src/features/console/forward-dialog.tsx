import type { ForwardBody, ForwardSettingView, Phone } from '@linedeck/contract';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { checkDialNumber } from '../../lib/dial-number.ts';
import { toast } from '../../lib/toasts.ts';
import { flowErrorText } from '../call-flows/flow-errors.ts';
import { useSetForward } from '../call-flows/flows-api.ts';

type Mode = ForwardBody['mode'];

export const FORWARD_MODE_TEXT: Record<Mode, { label: string; effect: string }> = {
  off: { label: 'Off', effect: 'Calls ring on this phone.' },
  always: { label: 'Always', effect: 'Every call goes straight to the number; this phone does not ring.' },
  busy: { label: 'When busy', effect: 'Calls go to the number while this phone is in a call.' },
  noanswer: { label: 'When not answered', effect: 'Calls that ring unanswered go on to the number.' },
};

const MODES: readonly Mode[] = ['off', 'always', 'busy', 'noanswer'];

/** The number to forward to, checked as the phone will get it, or why not. */
export function checkForwardNumber(
  input: string,
): { ok: true; number: string } | { ok: false; reason: string } {
  if (!input.trim()) return { ok: false, reason: 'Forwarding needs a number to forward to.' };
  const check = checkDialNumber(input);
  if (!check.ok) return check;
  if (check.extension)
    return { ok: false, reason: 'A forward goes to a number only: leave out the extension.' };
  return { ok: true, number: check.number };
}

interface ForwardDialogProps {
  phone: Phone;
  current: ForwardSettingView | null;
  open: boolean;
  onClose: () => void;
  /** The phone said forward cannot be set on it (firmware without known keys). */
  onUnavailable: () => void;
}

/** Call forward: a mode and a number (checked before anything is sent), or off. */
export function ForwardDialog({ phone, current, open, onClose, onUnavailable }: ForwardDialogProps) {
  const setForward = useSetForward(phone.id);
  // "on" (from a push) says no mode or number: the form then starts from Always, empty.
  const [mode, setMode] = useState<Mode>(() => (current && current.mode !== 'on' ? current.mode : 'always'));
  const [number, setNumber] = useState(current?.number ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const numberId = useId();
  const errorId = useId();
  const unavailable = isApiError(setForward.error) && setForward.error.code === 'not_available';

  const close = () => {
    setProblem(undefined);
    setForward.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (setForward.isPending) return;
    let body: ForwardBody = { mode: 'off' };
    if (mode !== 'off') {
      const check = checkForwardNumber(number);
      if (!check.ok) {
        setProblem(check.reason);
        return;
      }
      body = { mode, number: check.number };
    }
    setProblem(undefined);
    setForward.mutate(body, {
      onSuccess: () => {
        close();
        toast.success(
          body.mode === 'off'
            ? `Call forward is off for ${phone.name}`
            : `${phone.name} forwards to ${body.number} (${FORWARD_MODE_TEXT[body.mode].label.toLowerCase()})`,
        );
      },
      onError: (error) => {
        if (isApiError(error) && error.code === 'not_available') onUnavailable();
      },
    });
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Call forward on ${phone.name}`}
      description={FORWARD_MODE_TEXT[mode].effect}
    >
      {unavailable ? (
        <>
          <p role="status" className="text-sm">
            Call forward is not available on this phone: its firmware or its sign-in does not let LineDeck
            change it. Set it on the phone itself.
          </p>
          <div className="flex justify-end">
            <Button onClick={close}>Close</Button>
          </div>
        </>
      ) : (
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 font-medium text-sm">Forward calls</legend>
            {MODES.map((m) => (
              <label key={m} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="forward-mode"
                  value={m}
                  checked={mode === m}
                  onChange={() => {
                    setMode(m);
                    setProblem(undefined);
                  }}
                />
                {FORWARD_MODE_TEXT[m].label}
              </label>
            ))}
          </fieldset>
          {mode !== 'off' && (
            <div className="flex flex-col gap-1">
              <label htmlFor={numberId} className="font-medium text-sm">
                Forward to
              </label>
              <input
                id={numberId}
                type="tel"
                inputMode="tel"
                autoComplete="off"
                className="font-mono"
                value={number}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? errorId : undefined}
                onChange={(e) => {
                  setNumber(e.target.value);
                  setProblem(undefined);
                }}
              />
            </div>
          )}
          {(problem || setForward.error) && (
            <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-300">
              {problem ?? flowErrorText(setForward.error)}
            </p>
          )}
          {setForward.isPending && (
            <p role="status" className="text-sm">
              Asking the phone…
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" pending={setForward.isPending}>
              {mode === 'off' ? 'Turn forward off' : 'Forward calls'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
