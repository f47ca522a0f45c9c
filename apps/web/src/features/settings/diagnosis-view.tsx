import type { Diagnosis } from '@linedeck/contract';
import { setupHint } from '../../lib/phone-setup.ts';

const MARK = { true: '✓', false: '✗', null: '–' } as const;
const SAY = { true: 'OK', false: 'failed', null: 'not checked' } as const;

/**
 * The server's connection test, check by check, with its advice and where to find the setting on
 * the phone (the vendor guide's menu paths). Failed checks first get the full hint.
 */
export function DiagnosisView({ phoneName, diagnosis }: { phoneName: string; diagnosis: Diagnosis }) {
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
    </section>
  );
}
