import type { Phone } from '@linedeck/contract';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Field } from '../../components/ui/field.tsx';
import { errorText } from '../../lib/error-text.ts';
import { useSystemOperation } from '../../lib/mutations.ts';

/** Admin only: Reboot (confirmed in a dialog) and Reset (the phone's name typed to confirm). */
export function SystemMenu({ phone }: { phone: Phone }) {
  const system = useSystemOperation(phone.id);
  const [open, setOpen] = useState<'reboot' | 'reset' | null>(null);
  const [typed, setTyped] = useState('');
  const close = () => {
    setOpen(null);
    setTyped('');
    system.reset();
  };
  // The page behind a modal dialog is inert, toasts included: the dialog says what went wrong itself.
  const failure = system.error ? (
    <p role="alert" className="text-sm text-red-700 dark:text-red-300">
      {errorText(system.error)}
    </p>
  ) : null;
  const pending = system.isPending ? system.variables?.request : undefined;

  return (
    <section aria-labelledby="system-heading" className="flex flex-col gap-3">
      <h2 id="system-heading" className="font-semibold text-lg">
        System
      </h2>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => setOpen('reboot')} pending={pending === 'REBOOT'}>
          Reboot
        </Button>
        <Button variant="secondary" onClick={() => setOpen('reset')} pending={pending === 'RESET'}>
          Reset
        </Button>
      </div>

      <Dialog
        open={open === 'reboot'}
        onClose={close}
        title={`Reboot ${phone.name}?`}
        description="Calls on this phone are cut off, and it is offline for a minute or so while it restarts."
      >
        {failure}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="danger"
            pending={pending === 'REBOOT'}
            onClick={() => system.mutate({ request: 'REBOOT', confirm: phone.name }, { onSuccess: close })}
          >
            Reboot now
          </Button>
        </div>
      </Dialog>

      <Dialog
        open={open === 'reset'}
        onClose={close}
        title={`Reset ${phone.name} to factory defaults?`}
        description={
          <>
            This erases every setting on the phone, its accounts and the CTI settings LineDeck needs included.
            It cannot be undone. Type the phone's name, <strong>{phone.name}</strong>, to confirm.
          </>
        }
      >
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed !== phone.name || system.isPending) return;
            system.mutate({ request: 'RESET', confirm: typed }, { onSuccess: close });
          }}
        >
          <Field
            label="Phone name"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          {failure}
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button
              type="submit"
              variant="danger"
              pending={pending === 'RESET'}
              disabled={typed !== phone.name}
            >
              Reset phone
            </Button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
