import type { Phone } from '@linedeck/contract';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { DIRECTION_TEXT, OUTCOME_TEXT } from './call-text.ts';
import { DIRECTIONS, NO_FILTER, OUTCOMES, type PageFilter } from './calls-filter.ts';

/** Typing waits this long before the list (and the address) follow: one request per pause, not per key. */
const TYPING_MS = 300;

/** A text field whose value reaches `onChange` once the typing pauses (at once on Enter). */
function SearchField({
  label,
  hint,
  value,
  type,
  onChange,
}: {
  label: string;
  hint: string;
  value: string;
  type: 'search' | 'tel';
  onChange: (value: string) => void;
}) {
  const id = useId();
  const hintId = useId();
  const [text, setText] = useState(value);
  const latest = useRef(onChange);
  latest.current = onChange;
  // The address changed by itself (back, a link, "Clear filters"): the field follows.
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => latest.current(text), TYPING_MS);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <div className="flex min-w-48 flex-1 flex-col gap-1">
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <input
        id={id}
        type={type}
        inputMode={type === 'tel' ? 'tel' : undefined}
        value={text}
        aria-describedby={hintId}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange(text);
        }}
      />
      <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
        {hint}
      </p>
    </div>
  );
}

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DayField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** The journal's filters; each change goes to the address at once (the text fields after a pause). */
export function CallsFilters({
  filter,
  phones,
  onChange,
}: {
  filter: PageFilter;
  phones: readonly Phone[];
  onChange: (next: PageFilter) => void;
}) {
  const set = (patch: Partial<PageFilter>) => onChange({ ...filter, ...patch });
  const phoneOptions = [
    { value: '', label: 'All phones' },
    ...phones.map((p) => ({ value: p.id, label: p.name })),
  ];
  // A phone in the address that is not (or not yet) in the list still shows as chosen.
  if (filter.phoneId && !phones.some((p) => p.id === filter.phoneId))
    phoneOptions.push({ value: filter.phoneId, label: 'Unknown phone' });
  return (
    <search aria-label="Filter calls" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <Select
          label="Phone"
          value={filter.phoneId}
          options={phoneOptions}
          onChange={(phoneId) => set({ phoneId })}
        />
        <Select
          label="Direction"
          value={filter.direction}
          options={[
            { value: '', label: 'Both' },
            ...DIRECTIONS.map((d) => ({ value: d, label: DIRECTION_TEXT[d].label })),
          ]}
          onChange={(direction) => set({ direction: direction as PageFilter['direction'] })}
        />
        <Select
          label="Outcome"
          value={filter.outcome}
          options={[
            { value: '', label: 'Any' },
            ...OUTCOMES.map((o) => ({ value: o, label: OUTCOME_TEXT[o].label })),
          ]}
          onChange={(outcome) => set({ outcome: outcome as PageFilter['outcome'] })}
        />
        <DayField label="From" value={filter.fromDay} onChange={(fromDay) => set({ fromDay })} />
        <DayField label="To" value={filter.toDay} onChange={(toDay) => set({ toDay })} />
      </div>
      <div className="flex flex-wrap items-start gap-3">
        <SearchField
          label="Number"
          type="tel"
          hint="Any way it is written: 030 1234567, +49 30 1234567"
          value={filter.number}
          onChange={(number) => set({ number })}
        />
        <SearchField
          label="Name"
          type="search"
          hint="The caller's or the contact's name, or part of a number"
          value={filter.q}
          onChange={(q) => set({ q })}
        />
        <Button variant="ghost" className="mt-6" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </Button>
      </div>
    </search>
  );
}
