/**
 * Settings → Directory: where LineDeck reads contacts from LDAP or Active Directory (read-only, beside its
 * own), Test connection (with the form's values, before saving), Refresh now, and how the last refresh
 * went. The password field stays empty: the server never answers it; left empty, the stored one is kept.
 */
import type {
  DirectorySettings,
  DirectorySettingsBody,
  DirectoryTestResult,
  DirectoryView,
} from '@linedeck/contract';
import { DIRECTORY_DEFAULT_FILTER, DIRECTORY_DEFAULT_MAPPING } from '@linedeck/contract/vocabulary';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field, TextAreaField } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { queryClient } from '../../lib/query-client.ts';
import { FormError, fieldErrors, formatDate, PANEL } from './form-controls.tsx';

const KEY = ['directory'] as const;

interface Form {
  enabled: boolean;
  url: string;
  bindDn: string;
  password: string;
  caCertificate: string;
  baseDn: string;
  filter: string;
  name: string;
  company: string;
  numbers: string;
  refreshMinutes: string;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function formOf(s: DirectorySettings | null): Form {
  return {
    enabled: s?.enabled ?? true,
    url: s?.url ?? '',
    bindDn: s?.bindDn ?? '',
    password: '',
    caCertificate: s?.caCertificate ?? '',
    baseDn: s?.baseDn ?? '',
    filter: s?.filter ?? DIRECTORY_DEFAULT_FILTER,
    name: (s?.mapping.name ?? DIRECTORY_DEFAULT_MAPPING.name).join(', '),
    company: (s?.mapping.company ?? DIRECTORY_DEFAULT_MAPPING.company).join(', '),
    numbers: (s?.mapping.numbers ?? DIRECTORY_DEFAULT_MAPPING.numbers).join(', '),
    refreshMinutes: String(s?.refreshMinutes ?? 15),
  };
}

function bodyOf(f: Form): DirectorySettingsBody {
  return {
    enabled: f.enabled,
    url: f.url,
    bindDn: f.bindDn,
    // Empty: keep the stored password.
    ...(f.password !== '' ? { password: f.password } : {}),
    caCertificate: f.caCertificate.trim() === '' ? null : f.caCertificate,
    baseDn: f.baseDn,
    filter: f.filter,
    mapping: { name: list(f.name), company: list(f.company), numbers: list(f.numbers) },
    refreshMinutes: Number(f.refreshMinutes),
  };
}

export function DirectorySettingsPanel() {
  const view = useQuery({ queryKey: KEY, queryFn: () => api<DirectoryView>('/api/directory') });
  const [form, setForm] = useState<Form>(formOf(null));
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (view.data && !loaded) {
      setForm(formOf(view.data.settings));
      setLoaded(true);
    }
  }, [view.data, loaded]);
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const done = (v: DirectoryView) => queryClient.setQueryData(KEY, v);
  const save = useMutation({
    mutationFn: () => api<DirectoryView>('/api/directory', { method: 'PUT', body: bodyOf(form) }),
    onSuccess: (v) => {
      done(v);
      setForm({ ...form, password: '' });
    },
  });
  const test = useMutation({
    mutationFn: () => api<DirectoryTestResult>('/api/directory/test', { method: 'POST', body: bodyOf(form) }),
  });
  const refresh = useMutation({
    mutationFn: () => api<DirectoryView>('/api/directory/refresh', { method: 'POST' }),
    onSuccess: done,
  });
  const errors = fieldErrors(save.error ?? test.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const status = view.data?.status;
  const hasPassword = view.data?.settings?.hasPassword ?? false;
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="directory-heading" className={PANEL}>
        <div>
          <h2 id="directory-heading" className="font-semibold text-lg">
            Directory (LDAP / Active Directory)
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Contacts read from the directory appear beside LineDeck's own, marked as from the directory, and
            name callers LineDeck's own contacts do not. They are read-only here.
          </p>
        </div>
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 min-h-0 p-0"
              checked={form.enabled}
              onChange={(e) => set({ enabled: e.target.checked })}
            />
            Read contacts from the directory
          </label>
          <Field
            label="URL"
            value={form.url}
            onChange={(e) => set({ url: e.target.value })}
            placeholder="ldaps://dc1.example.com"
            autoComplete="off"
            error={errors.url}
          />
          <Field
            label="Bind DN"
            value={form.bindDn}
            onChange={(e) => set({ bindDn: e.target.value })}
            placeholder="CN=LineDeck,OU=Service Accounts,DC=example,DC=com"
            autoComplete="off"
            error={errors.bindDn}
          />
          <Field
            label="Password"
            type="password"
            value={form.password}
            onChange={(e) => set({ password: e.target.value })}
            autoComplete="new-password"
            hint={
              hasPassword
                ? 'A password is stored: leave empty to keep it (it is only sent to the URL it was saved for).'
                : undefined
            }
            error={errors.password}
          />
          <TextAreaField
            label="CA certificate"
            rows={4}
            className="[&_textarea]:font-mono [&_textarea]:text-xs"
            placeholder={'-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----'}
            value={form.caCertificate}
            spellCheck={false}
            onChange={(e) => set({ caCertificate: e.target.value })}
            hint="For ldaps:// with a certificate from your own CA (Active Directory Certificate Services): paste that CA's certificate as PEM. Empty: the CAs this server trusts."
            error={errors.caCertificate}
          />
          <Field
            label="Base DN"
            value={form.baseDn}
            onChange={(e) => set({ baseDn: e.target.value })}
            placeholder="DC=example,DC=com"
            autoComplete="off"
            error={errors.baseDn}
          />
          <Field
            label="Filter"
            value={form.filter}
            onChange={(e) => set({ filter: e.target.value })}
            autoComplete="off"
            error={errors.filter}
          />
          <Field
            label="Name attributes"
            hint="Comma-separated; the first one an entry has wins."
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
            error={errors.mapping}
          />
          <Field
            label="Company attributes"
            value={form.company}
            onChange={(e) => set({ company: e.target.value })}
          />
          <Field
            label="Number attributes"
            hint="Every number found counts for caller ID."
            value={form.numbers}
            onChange={(e) => set({ numbers: e.target.value })}
          />
          <Field
            label="Refresh every (minutes)"
            type="number"
            min={1}
            max={1440}
            value={form.refreshMinutes}
            onChange={(e) => set({ refreshMinutes: e.target.value })}
            error={errors.refreshMinutes}
          />
          <FormError>
            {(save.error || test.error) && Object.keys(errors).length === 0
              ? errorText(save.error ?? test.error)
              : undefined}
          </FormError>
          {test.data && (
            <p
              role="status"
              className={`text-sm ${test.data.ok ? 'text-green-800 dark:text-green-300' : 'text-red-700 dark:text-red-300'}`}
            >
              {test.data.message}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="primary" pending={save.isPending}>
              Save
            </Button>
            <Button type="button" pending={test.isPending} onClick={() => test.mutate()}>
              Test connection
            </Button>
          </div>
        </form>
      </section>
      <section aria-labelledby="directory-status-heading" className={PANEL}>
        <h2 id="directory-status-heading" className="font-semibold text-lg">
          Status
        </h2>
        <FormError>{view.isError ? errorText(view.error) : undefined}</FormError>
        {status && (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="font-medium">Contacts</dt>
            <dd>{status.count}</dd>
            <dt className="font-medium">Last refresh</dt>
            <dd>{status.lastRefreshAt ? formatDate(status.lastRefreshAt) : 'Never'}</dd>
            {status.lastError && (
              <>
                <dt className="font-medium">Last error</dt>
                <dd className="text-red-700 dark:text-red-300">
                  {status.lastError} ({formatDate(status.lastErrorAt)})
                </dd>
              </>
            )}
          </dl>
        )}
        <FormError>{refresh.error ? errorText(refresh.error) : undefined}</FormError>
        <div>
          <Button
            type="button"
            pending={refresh.isPending}
            disabled={!view.data?.settings?.enabled}
            onClick={() => refresh.mutate()}
          >
            Refresh now
          </Button>
        </div>
      </section>
    </div>
  );
}
