import type { Role } from '@linedeck/contract';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Field } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { adminQueries, phoneQueries } from '../../lib/queries.ts';
import { queryClient } from '../../lib/query-client.ts';
import { WALL_PATH } from '../../lib/router.tsx';
import { toast } from '../../lib/toasts.ts';
import {
  FormError,
  fieldErrors,
  formatDate,
  PANEL,
  PhonePicker,
  SelectField,
  TABLE,
  TD,
  TH,
} from './form-controls.tsx';
import { ROLE_TEXT, ROLES } from './users-settings.tsx';

interface CreatedSecret {
  id: string;
  secret: string;
}

/** The wall link of a display key: opening it signs a screen in, with nothing typed on it. */
export function wallLink(origin: string, secret: string): string {
  return `${origin}${WALL_PATH}?key=${encodeURIComponent(secret)}`;
}

/** A secret shown once, with a copy button; gone when the admin leaves the page or dismisses it. */
function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast.success('Copied');
    } catch {
      // No clipboard access (plain http on a LAN address): select it for Ctrl+C.
      ref.current?.select();
      toast.info('Press Ctrl+C (or ⌘C) to copy the selected text.');
    }
  };
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-lg border-2 border-amber-500 bg-amber-50 p-3 dark:bg-amber-950/50"
    >
      <p className="font-semibold text-sm">
        Copy it now: it is shown only this once and cannot be shown again.
      </p>
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={id}
          ref={ref}
          readOnly
          value={value}
          className="min-w-0 flex-1 font-mono text-sm"
          onFocus={(e) => e.target.select()}
        />
        <Button onClick={() => void copy()}>Copy</Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

function RevokeDialog({
  what,
  name,
  path,
  invalidate,
  consequence,
  onClose,
}: {
  what: string;
  name: string;
  path: string;
  invalidate: readonly unknown[];
  consequence: string;
  onClose: () => void;
}) {
  const revoke = useMutation({
    mutationFn: () => api<unknown>(path, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: invalidate });
      toast.success(`Revoked ${what} ${name}`);
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} title={`Revoke ${what} ${name}?`} description={consequence}>
      <FormError>{revoke.error ? errorText(revoke.error) : undefined}</FormError>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={revoke.isPending} onClick={() => revoke.mutate()}>
          Revoke
        </Button>
      </div>
    </Dialog>
  );
}

function DisplayKeys() {
  const keys = useQuery(adminQueries.displayKeys());
  const phones = useQuery(phoneQueries.list());
  const phoneList = phones.data ?? [];
  const names = new Map(phoneList.map((p) => [p.id, p.name]));
  const [name, setName] = useState('');
  const [phoneIds, setPhoneIds] = useState<string[]>([]);
  const [created, setCreated] = useState<{ name: string; link: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const [checked, setChecked] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api<CreatedSecret>('/api/display-keys', { method: 'POST', body: { name: name.trim(), phoneIds } }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: adminQueries.displayKeys().queryKey });
      setCreated({ name: name.trim(), link: wallLink(window.location.origin, result.secret) });
      setName('');
      setPhoneIds([]);
      setChecked(false);
    },
  });
  const issues = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!name.trim() || create.isPending) return;
    create.mutate();
  };
  return (
    <section aria-labelledby="display-keys-heading" className={PANEL}>
      <div>
        <h2 id="display-keys-heading" className="font-semibold text-lg">
          Display keys
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A display key's link opens the wall on a screen without signing in: it sees the chosen phones,
          read-only, until the key is revoked.
        </p>
      </div>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <Field
          label="Display name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          autoComplete="off"
          placeholder="Reception wall"
          error={
            (checked && !name.trim() ? 'Name the screen, e.g. "Reception wall".' : undefined) || issues.name
          }
        />
        <PhonePicker
          legend="Phones on this wall"
          phones={phoneList}
          value={phoneIds}
          onChange={setPhoneIds}
          emptyMeaning="None chosen: every phone, including phones added later."
        />
        <FormError>
          {create.error && !Object.keys(issues).length ? errorText(create.error) : undefined}
        </FormError>
        <div>
          <Button type="submit" variant="primary" pending={create.isPending}>
            Create display key
          </Button>
        </div>
      </form>
      {created && (
        <SecretOnce
          label={`Wall link for ${created.name}`}
          value={created.link}
          onDone={() => setCreated(null)}
        />
      )}
      <KeyTable
        caption="Display keys"
        empty="No display keys."
        rows={(keys.data ?? []).map((k) => ({
          id: k.id,
          name: k.name,
          scope:
            k.phoneIds.length === 0
              ? 'All phones'
              : k.phoneIds.map((id) => names.get(id) ?? 'Removed phone').join(', '),
          createdAt: k.createdAt,
          lastUsedAt: k.lastUsedAt,
        }))}
        scopeLabel="Phones"
        error={keys.isError && !keys.data ? keys.error : undefined}
        onRevoke={setRevoking}
      />
      {revoking && (
        <RevokeDialog
          what="display key"
          name={revoking.name}
          path={`/api/display-keys/${encodeURIComponent(revoking.id)}`}
          invalidate={adminQueries.displayKeys().queryKey}
          consequence="Every screen opened with its link is signed out at once."
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

function KeyTable({
  caption,
  empty,
  rows,
  scopeLabel,
  error,
  onRevoke,
}: {
  caption: string;
  empty: string;
  rows: { id: string; name: string; scope: string; createdAt: string; lastUsedAt: string | null }[];
  scopeLabel: string;
  error: unknown;
  onRevoke: (row: { id: string; name: string }) => void;
}) {
  if (error) return <FormError>{errorText(error)}</FormError>;
  if (rows.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className={TABLE}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th className={TH}>Name</th>
            <th className={TH}>{scopeLabel}</th>
            <th className={TH}>Created</th>
            <th className={TH}>Last used</th>
            <th className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className={`${TD} font-medium`}>{row.name}</td>
              <td className={TD}>{row.scope}</td>
              <td className={TD}>{formatDate(row.createdAt)}</td>
              <td className={TD}>{formatDate(row.lastUsedAt)}</td>
              <td className={TD}>
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => onRevoke(row)}
                  aria-label={`Revoke ${row.name}`}
                >
                  Revoke
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ApiTokens() {
  const tokens = useQuery(adminQueries.tokens());
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const [checked, setChecked] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api<CreatedSecret>('/api/tokens', { method: 'POST', body: { name: name.trim(), role } }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: adminQueries.tokens().queryKey });
      setCreated({ name: name.trim(), secret: result.secret });
      setName('');
      setChecked(false);
    },
  });
  const issues = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!name.trim() || create.isPending) return;
    create.mutate();
  };
  return (
    <section aria-labelledby="tokens-heading" className={PANEL}>
      <div>
        <h2 id="tokens-heading" className="font-semibold text-lg">
          API tokens
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with its role on
          every phone.
        </p>
      </div>
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Token name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          autoComplete="off"
          placeholder="CRM integration"
          error={(checked && !name.trim() ? 'Name the token after what uses it.' : undefined) || issues.name}
        />
        <SelectField
          label="Token role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          hint={ROLE_TEXT[role].means}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_TEXT[r].label}
            </option>
          ))}
        </SelectField>
        <div className="flex flex-col gap-3 sm:col-span-2">
          <FormError>
            {create.error && !Object.keys(issues).length ? errorText(create.error) : undefined}
          </FormError>
          <div>
            <Button type="submit" variant="primary" pending={create.isPending}>
              Create API token
            </Button>
          </div>
        </div>
      </form>
      {created && (
        <SecretOnce
          label={`API token ${created.name}`}
          value={created.secret}
          onDone={() => setCreated(null)}
        />
      )}
      <KeyTable
        caption="API tokens"
        empty="No API tokens."
        rows={(tokens.data ?? []).map((t) => ({
          id: t.id,
          name: t.name,
          scope: ROLE_TEXT[t.role]?.label ?? t.role,
          createdAt: t.createdAt,
          lastUsedAt: t.lastUsedAt,
        }))}
        scopeLabel="Role"
        error={tokens.isError && !tokens.data ? tokens.error : undefined}
        onRevoke={setRevoking}
      />
      {revoking && (
        <RevokeDialog
          what="API token"
          name={revoking.name}
          path={`/api/tokens/${encodeURIComponent(revoking.id)}`}
          invalidate={adminQueries.tokens().queryKey}
          consequence="Scripts using it are refused from their next request."
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

/** Settings → Access: display keys for wall screens and API tokens for scripts. */
export function AccessSettings() {
  return (
    <div className="flex flex-col gap-6">
      <DisplayKeys />
      <ApiTokens />
    </div>
  );
}
