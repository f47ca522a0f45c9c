import type { Phone } from '@linedeck/contract';
import { type ReactNode, type SelectHTMLAttributes, useId } from 'react';
import { isApiError } from '../../lib/api-client.ts';

export interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}

/** A labelled select with its hint and error (the select counterpart of components/ui/field). */
export function SelectField({ label, hint, error, id, className = '', children, ...rest }: SelectFieldProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  const describedBy =
    [hint ? `${selectId}-hint` : '', error ? `${selectId}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={selectId} className="font-medium text-sm">
        {label}
      </label>
      <select id={selectId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...rest}>
        {children}
      </select>
      {hint && (
        <p id={`${selectId}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${selectId}-error`} className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

/** Checkboxes for choosing phones; an empty choice means what `emptyMeaning` says. */
export function PhonePicker({
  legend,
  phones,
  value,
  onChange,
  emptyMeaning,
}: {
  legend: string;
  phones: readonly Phone[];
  value: readonly string[];
  onChange: (ids: string[]) => void;
  emptyMeaning: string;
}) {
  const hintId = useId();
  return (
    <fieldset className="flex flex-col gap-1" aria-describedby={hintId}>
      <legend className="font-medium text-sm">{legend}</legend>
      <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
        {emptyMeaning}
      </p>
      {phones.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No phones yet.</p>
      ) : (
        <div className="grid max-h-48 grid-cols-[repeat(auto-fill,minmax(11rem,1fr))] gap-x-4 gap-y-1 overflow-auto py-1">
          {phones.map((phone) => (
            <label key={phone.id} className="flex min-h-8 items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 min-h-0 p-0"
                checked={value.includes(phone.id)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...value, phone.id] : value.filter((id) => id !== phone.id))
                }
              />
              <span className="truncate">{phone.name}</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/** The server's field-by-field problems (invalid_input issues), by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? '';
    out[field] = out[field] ? `${out[field]} ${issue.message}` : issue.message;
  }
  return out;
}

/** An error line for a form, read out at once. */
export function FormError({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="alert" className="text-sm text-red-700 dark:text-red-300">
      {children}
    </p>
  );
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A stored ISO time for a table cell. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'Never';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateFormat.format(time);
}

/** A settings list: the named columns, then a last column of row buttons (named for screen readers only). */
export function SettingsTable({
  caption,
  columns,
  children,
}: {
  caption?: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto">
      <table className={TABLE}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} className={TH}>
                {column}
              </th>
            ))}
            <th className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export const TABLE = 'w-full border-collapse text-left text-sm';
export const TH = 'border-zinc-200 border-b px-2 py-2 font-semibold dark:border-zinc-800';
export const TD = 'border-zinc-100 border-b px-2 py-2 align-top dark:border-zinc-800/60';
export const PANEL =
  'flex flex-col gap-4 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900';
