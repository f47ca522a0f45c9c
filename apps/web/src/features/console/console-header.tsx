import type { Phone, PhoneState } from '@linedeck/contract';
import { Badge } from '../../components/ui/badge.tsx';
import { dataAgeMs } from '../../lib/connectivity.ts';
import { dndForwardTexts } from '../../lib/dnd-forward.ts';
import { shownStatus } from '../../lib/status.ts';
import { formatAge, useNow } from '../../lib/time.ts';

/**
 * Name, model, firmware, status ("Do not disturb" instead of "Available" while DND is on; call forward
 * when known), accounts and freshness.
 */
export function ConsoleHeader({ phone, state }: { phone: Phone; state: PhoneState | undefined }) {
  const now = useNow();
  const registered = (state?.accounts ?? []).filter((a) => a.registered);
  // Never "Available" while DND turns every caller away.
  const status = shownStatus(state);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-semibold text-2xl sm:text-3xl">{phone.name}</h1>
        <Badge tone={status.tone}>{status.label}</Badge>
        {dndForwardTexts(state).map((flag) => (
          <Badge key={flag} tone="busy">
            {flag}
          </Badge>
        ))}
      </div>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-zinc-700 dark:text-zinc-300">
        <div className="flex gap-1.5">
          <dt className="text-zinc-500 dark:text-zinc-400">Model</dt>
          <dd>{phone.model ?? 'unknown'}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-zinc-500 dark:text-zinc-400">Firmware</dt>
          <dd>{phone.firmware ?? 'unknown'}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-zinc-500 dark:text-zinc-400">Accounts</dt>
          <dd>
            {registered.length === 0
              ? 'none registered'
              : registered
                  .map((a) => [a.sipId, a.name && `(${a.name})`].filter(Boolean).join(' '))
                  .join(', ')}
          </dd>
        </div>
        <div>
          <dt className="sr-only">Data</dt>
          <dd>{formatAge(dataAgeMs(state, now))}</dd>
        </div>
      </dl>
    </div>
  );
}
