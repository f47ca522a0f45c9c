import type { Phone, PhoneStatus, SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { canControl } from '../../lib/permissions.ts';
import { phoneQueries, stateQueries } from '../../lib/queries.ts';
import { STATUS_TEXT } from '../../lib/status.ts';

const STORAGE_KEY = 'linedeck.call-from';

/** A call placed from these would fail: the phone is not reached, refuses LineDeck, or was never heard from. */
const CANNOT_CALL: ReadonlySet<PhoneStatus> = new Set(['offline', 'unauthorized', 'unknown']);

export interface CallFromPhone extends Phone {
  /** Undefined until the phones' states have loaded (nothing is hidden before then). */
  status: PhoneStatus | undefined;
}

/** The phones a call can be placed from: the user's, with their status, minus those that cannot call now. */
export function callablePhones(
  phones: readonly Phone[],
  statuses: ReadonlyMap<string, PhoneStatus> | undefined,
  mayControl: (phoneId: string) => boolean,
): CallFromPhone[] {
  return phones
    .filter((p) => mayControl(p.id))
    .map((p) => ({ ...p, status: statuses ? (statuses.get(p.id) ?? 'unknown') : undefined }))
    .filter((p) => p.status === undefined || !CANNOT_CALL.has(p.status));
}

/** The phones this user may dial from now, and the one chosen (remembered in this browser). */
export function useCallFrom(user: SessionUser): {
  phones: CallFromPhone[];
  phoneId: string | undefined;
  setPhoneId: (id: string) => void;
} {
  const list = useQuery(phoneQueries.list());
  const states = useQuery(stateQueries.all());
  const statuses = states.data && new Map(states.data.map((s) => [s.phoneId, s.status]));
  const phones = callablePhones(list.data ?? [], statuses, (id) => canControl(user, id));
  const [chosen, setChosen] = useState(() => localStorage.getItem(STORAGE_KEY) ?? '');
  const phoneId = phones.find((p) => p.id === chosen)?.id ?? phones[0]?.id;
  useEffect(() => {
    if (chosen) localStorage.setItem(STORAGE_KEY, chosen);
  }, [chosen]);
  return { phones, phoneId, setPhoneId: setChosen };
}

export function CallFromPicker({
  phones,
  phoneId,
  onChange,
}: {
  phones: CallFromPhone[];
  phoneId: string | undefined;
  onChange: (id: string) => void;
}) {
  const id = useId();
  if (phones.length === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="font-medium text-sm">
        Call from
      </label>
      <select id={id} value={phoneId ?? ''} onChange={(e) => onChange(e.target.value)}>
        {phones.map((p) => (
          <option key={p.id} value={p.id}>
            {p.status ? `${p.name} · ${STATUS_TEXT[p.status].label}` : p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
