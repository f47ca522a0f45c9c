import type { PhoneState } from '@linedeck/contract';
import { Button } from '../../components/ui/button.tsx';
import { AUTH_STOPPED, phoneSaid } from '../../lib/auth-text.ts';
import { useTestPhone } from '../../lib/mutations.ts';
import { STATUS_TEXT } from '../../lib/status.ts';

/**
 * What is wrong with a phone that does not answer normally, and what to do;
 * admins can run the server's diagnosis (which also resumes a phone stopped for a wrong passcode).
 */
export function PhoneHealth({
  phoneId,
  state,
  isAdmin,
}: {
  phoneId: string;
  state: PhoneState;
  isAdmin: boolean;
}) {
  const test = useTestPhone(phoneId);
  const unauthorized = state.status === 'unauthorized';
  const advice = unauthorized ? AUTH_STOPPED : STATUS_TEXT[state.status]?.advice;
  if (!advice && !state.error && !test.data) return null;
  const serious = state.status === 'offline' || unauthorized;
  return (
    <section
      aria-label="Phone health"
      className={`flex flex-col gap-3 rounded-xl border p-4 ${serious ? 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40' : 'border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900'}`}
    >
      {/* The phone's own words first ("wrong password, 4 attempts left"): they say how urgent it is. */}
      {unauthorized && <p className="font-semibold">{phoneSaid(state.error?.auth)}</p>}
      {advice && <p className={unauthorized ? '' : 'font-medium'}>{advice}</p>}
      {/* An auth stop's message repeats what the phone said, shown above already. */}
      {state.error && !(unauthorized && state.error.auth) && (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">Last error: {state.error.message}</p>
      )}
      {isAdmin && (
        <div>
          <Button onClick={() => test.mutate()} pending={test.isPending}>
            Test connection
          </Button>
        </div>
      )}
      {test.data && (
        <ul className="flex flex-col gap-1 text-sm" aria-label="Connection checks">
          {test.data.checks.map((check) => (
            <li key={check.id}>
              <span aria-hidden="true">{check.ok === true ? '✓' : check.ok === false ? '✗' : '–'}</span>{' '}
              <span className="font-medium">{check.label}</span>
              <span className="sr-only">
                {check.ok === true ? ': OK' : check.ok === false ? ': failed' : ': not checked'}
              </span>
              {check.advice && (
                <span className="block pl-5 text-zinc-700 dark:text-zinc-300">{check.advice}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
