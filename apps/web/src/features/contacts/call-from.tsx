import type { Phone, SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { canControl } from '../../lib/permissions.ts';
import { phoneQueries } from '../../lib/queries.ts';

const STORAGE_KEY = 'linedeck.call-from';

/** The phones this user may dial from, and the one chosen (remembered in this browser). */
export function useCallFrom(user: SessionUser): {
  phones: Phone[];
  phoneId: string | undefined;
  setPhoneId: (id: string) => void;
} {
  const list = useQuery(phoneQueries.list());
  const phones = (list.data ?? []).filter((p) => canControl(user, p.id));
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
  phones: Phone[];
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
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
