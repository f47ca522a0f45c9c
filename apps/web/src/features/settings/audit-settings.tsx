import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { errorText } from '../../lib/error-text.ts';
import { adminQueries, phoneQueries } from '../../lib/queries.ts';
import { type AuditForm, auditFilter, paramsText } from './audit-filter.ts';
import { FormError, formatDate, PANEL, SelectField, TABLE, TD, TH } from './form-controls.tsx';

const EMPTY: AuditForm = { phoneId: '', userId: '', from: '', to: '' };

/** Settings → Audit log: every command and change, newest first, paged and filtered. */
export function AuditSettings() {
  const [form, setForm] = useState<AuditForm>(EMPTY);
  // Cursors of the pages before this one ("Newer" goes back); bounded by how far one pages.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    ...adminQueries.audit(auditFilter(form, cursor)),
    placeholderData: keepPreviousData,
  });
  const phones = useQuery(phoneQueries.list());
  const users = useQuery(adminQueries.users());
  const phoneNames = new Map((phones.data ?? []).map((p) => [p.id, p.name]));

  const change = (key: keyof AuditForm) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setCursors([undefined]);
  };
  const entries = page.data?.entries ?? [];
  const nextCursor = page.data?.nextCursor ?? null;

  return (
    <section aria-labelledby="audit-heading" className={PANEL}>
      <h2 id="audit-heading" className="font-semibold text-lg">
        Audit log
      </h2>
      <form
        aria-label="Filter the audit log"
        className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5"
        onSubmit={(e) => e.preventDefault()}
      >
        <SelectField label="Phone" value={form.phoneId} onChange={change('phoneId')}>
          <option value="">All phones</option>
          {(phones.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="User" value={form.userId} onChange={change('userId')}>
          <option value="">All users</option>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.username}
            </option>
          ))}
        </SelectField>
        <Field label="From" type="datetime-local" value={form.from} onChange={change('from')} />
        <Field label="Until" type="datetime-local" value={form.to} onChange={change('to')} />
        <div className="flex items-end">
          <Button
            onClick={() => {
              setForm(EMPTY);
              setCursors([undefined]);
            }}
          >
            Clear filters
          </Button>
        </div>
      </form>

      {page.isPending ? (
        <p>Loading…</p>
      ) : page.isError && !page.data ? (
        <FormError>{errorText(page.error)}</FormError>
      ) : entries.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">Nothing recorded for these filters.</p>
      ) : (
        <div className="overflow-x-auto" aria-busy={page.isFetching || undefined}>
          <table className={TABLE}>
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th className={TH}>Time</th>
                <th className={TH}>User</th>
                <th className={TH}>Address</th>
                <th className={TH}>Phone</th>
                <th className={TH}>Action</th>
                <th className={TH}>Parameters</th>
                <th className={TH}>Result</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className={`${TD} whitespace-nowrap`}>{formatDate(entry.at)}</td>
                  <td className={TD}>
                    {entry.username ?? entry.userId ?? '–'}
                    {entry.role && (
                      <span className="block text-xs text-zinc-600 dark:text-zinc-400">{entry.role}</span>
                    )}
                  </td>
                  <td className={`${TD} font-mono text-xs`}>{entry.address ?? '–'}</td>
                  <td className={TD}>
                    {entry.phoneId ? (phoneNames.get(entry.phoneId) ?? entry.phoneId) : '–'}
                  </td>
                  <td className={`${TD} font-mono text-xs`}>{entry.action}</td>
                  <td className={`${TD} max-w-xs break-words font-mono text-xs`}>
                    {paramsText(entry.params)}
                  </td>
                  <td className={TD}>{entry.result}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Audit log pages" className="flex items-center gap-2">
        <Button size="sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">Page {cursors.length}</span>
        <Button
          size="sm"
          disabled={nextCursor === null}
          onClick={() => nextCursor !== null && setCursors((c) => [...c, nextCursor])}
        >
          Older
        </Button>
      </nav>
    </section>
  );
}
