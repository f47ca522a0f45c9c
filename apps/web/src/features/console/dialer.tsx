import type { AccountView } from '@linedeck/contract';
import { type FormEvent, type RefObject, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { checkDialNumber, dialPreview } from '../../lib/dial-number.ts';
import { useMakeCall } from '../../lib/mutations.ts';
import { ExtensionTones } from '../contacts/extension-tones.tsx';
import { useNumberFormat } from '../contacts/number-settings.ts';

interface DialerProps {
  phoneId: string;
  accounts: AccountView[];
  number: string;
  onNumberChange: (number: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}

/**
 * The Number field, the account to call from, and Call (Enter dials). Numbers are read as people paste
 * them and what will be dialled is shown before Call; an extension is offered as tones once the call is
 * placed. Invalid numbers never leave the form.
 */
export function Dialer({ phoneId, accounts, number, onNumberChange, inputRef }: DialerProps) {
  const makeCall = useMakeCall(phoneId);
  const [problem, setProblem] = useState<string | undefined>();
  const [account, setAccount] = useState('');
  const [extension, setExtension] = useState<string | null>(null);
  const format = useNumberFormat();
  const preview = number.trim() ? dialPreview(checkDialNumber(number), format) : undefined;
  const numberId = useId();
  const previewId = useId();
  const accountId = useId();
  const errorId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (makeCall.isPending) return;
    const check = checkDialNumber(number);
    if (!check.ok) {
      setProblem(check.reason);
      inputRef.current?.focus();
      return;
    }
    setProblem(undefined);
    // The phone numbers accounts from 1; api-make_call takes a 0-based index.
    const accountIndex = account === '' ? undefined : Number(account) - 1;
    makeCall.mutate(
      accountIndex === undefined ? { number: check.number } : { number: check.number, account: accountIndex },
      {
        onSuccess: () => {
          onNumberChange('');
          setExtension(check.extension);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Dialer" className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={numberId} className="font-medium text-sm">
          Number
        </label>
        <input
          id={numberId}
          ref={inputRef}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          className="font-mono text-lg"
          value={number}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : preview ? previewId : undefined}
          onChange={(e) => {
            onNumberChange(e.target.value);
            if (problem) setProblem(undefined);
          }}
        />
        {problem ? (
          <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-300">
            {problem}
          </p>
        ) : (
          preview && (
            <p id={previewId} className="text-sm text-zinc-600 dark:text-zinc-400">
              {preview}
            </p>
          )
        )}
      </div>
      {extension && (
        <ExtensionTones phoneId={phoneId} extension={extension} onDone={() => setExtension(null)} />
      )}
      <div className="flex flex-col gap-3">
        {accounts.length > 0 && (
          <div className="flex min-w-0 flex-col gap-1">
            <label htmlFor={accountId} className="font-medium text-sm">
              Account
            </label>
            <select id={accountId} value={account} onChange={(e) => setAccount(e.target.value)}>
              <option value="">Default account</option>
              {accounts.map((a) => (
                <option key={a.id} value={String(a.id)} disabled={!a.registered}>
                  {`Account ${a.id}${a.sipId ? ` · ${a.sipId}` : ''}${a.name ? ` (${a.name})` : ''}${a.registered ? '' : ' · not registered'}`}
                </option>
              ))}
            </select>
          </div>
        )}
        <Button type="submit" variant="success" size="lg" pending={makeCall.isPending} className="w-full">
          Call
        </Button>
      </div>
    </form>
  );
}
