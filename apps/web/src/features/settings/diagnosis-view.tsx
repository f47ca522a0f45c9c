import type { Diagnosis, Phone } from '@linedeck/contract';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { api } from '../../lib/api-client.ts';
import { authChoiceLabel } from '../../lib/auth-text.ts';
import { errorText } from '../../lib/error-text.ts';
import { CLICK_TO_DIAL_PATH, setupHint } from '../../lib/phone-setup.ts';
import { toast } from '../../lib/toasts.ts';
import { FormError } from './form-controls.tsx';

const MARK = { true: '✓', false: '✗', null: '–' } as const;
const SAY = { true: 'OK', false: 'failed', null: 'not checked' } as const;

/**
 * Turns Click-To-Dial on through the phone's web session, after a confirmation: the server wants the
 * phone's name as `confirm`, so a setting is never changed on the wrong phone by a stale screen.
 */
function EnableClickToDial({ phone, onDone }: { phone: Phone; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const enable = useMutation({
    mutationFn: () =>
      api<unknown>(`/api/phones/${encodeURIComponent(phone.id)}/click-to-dial`, {
        method: 'POST',
        body: { confirm: phone.name },
      }),
    onSuccess: () => {
      toast.success(`Click-To-Dial is on for ${phone.name}.`);
      setOpen(false);
      onDone();
    },
  });
  const close = () => {
    setOpen(false);
    enable.reset();
  };
  return (
    <>
      <div>
        <Button variant="primary" size="sm" onClick={() => setOpen(true)}>
          Enable Click-To-Dial
        </Button>
      </div>
      <Dialog
        open={open}
        onClose={close}
        title={`Enable Click-To-Dial on ${phone.name}?`}
        description={`LineDeck turns on ${CLICK_TO_DIAL_PATH} through the phone's web session and reads the setting back. Calls placed from LineDeck then work instead of failing with "Invalid Request".`}
      >
        <FormError>{enable.error ? errorText(enable.error) : undefined}</FormError>
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" pending={enable.isPending} onClick={() => enable.mutate()}>
            Enable
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/**
 * The server's connection test, check by check, with its advice and where to find the setting on
 * the phone (the vendor guide's menu paths). Failed checks first get the full hint. Also how LineDeck
 * signed in and the firmware it found, and the one-click fixes the test found. A refused password is
 * the server's check advice: it quotes the phone ("wrong password, 2 attempts left") and the stop.
 */
export function DiagnosisView({
  phone,
  diagnosis,
  onFixed,
}: {
  phone: Phone;
  diagnosis: Diagnosis;
  /** After a fix was applied: run the test again. */
  onFixed: () => void;
}) {
  const phoneName = phone.name;
  const found = [
    diagnosis.auth && `Signed in with ${authChoiceLabel(diagnosis.auth)}`,
    diagnosis.model && `Model ${diagnosis.model}`,
    diagnosis.firmware && `Firmware ${diagnosis.firmware}`,
  ].filter(Boolean);
  return (
    <section
      aria-label={`Connection test of ${phoneName}`}
      className={`flex flex-col gap-2 rounded-lg border p-3 text-sm ${diagnosis.ok ? 'border-green-600/40 bg-green-50 dark:bg-green-950/40' : 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40'}`}
    >
      <p role="status" className="font-semibold">
        {diagnosis.ok
          ? `${phoneName} answers and accepts LineDeck.`
          : `${phoneName} needs attention: see the failed checks.`}
      </p>
      {found.length > 0 && <p>{found.join(' · ')}</p>}
      <ul className="flex flex-col gap-2">
        {diagnosis.checks.map((check) => {
          const key = String(check.ok) as keyof typeof MARK;
          const hint = check.ok === true ? undefined : setupHint(check.id);
          return (
            <li key={check.id}>
              <span aria-hidden="true" className="inline-block w-4 font-bold">
                {MARK[key]}
              </span>{' '}
              <span className="font-medium">{check.label}</span>
              <span className={check.ok === false ? 'font-semibold text-red-800 dark:text-red-200' : ''}>
                : {SAY[key]}
              </span>
              {check.advice && <p className="pl-5 text-zinc-800 dark:text-zinc-200">{check.advice}</p>}
              {hint && check.ok === false && <p className="pl-5 text-zinc-700 dark:text-zinc-300">{hint}</p>}
            </li>
          );
        })}
      </ul>
      {diagnosis.fixes?.includes('enable_click_to_dial') && (
        <div className="flex flex-col gap-1">
          <p>Click-To-Dial is off on {phoneName}: LineDeck can turn it on through the phone's web session.</p>
          <EnableClickToDial phone={phone} onDone={onFixed} />
        </div>
      )}
    </section>
  );
}
