import type { ApiTokenStatus, Role } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { adminQueries, phoneQueries } from '../../lib/queries.ts';
import { WALL_PATH } from '../../lib/router.tsx';
import { toast } from '../../lib/toasts.ts';
import { FormError, formatDate, PANEL, PhonePicker } from './form-controls.tsx';
import { RevokeList } from './revoke-list.tsx';
import { useNamedCreate } from './use-named-create.ts';
import { ROLE_TEXT, RoleSelect } from './users-settings.tsx';

interface CreatedSecret {
  id: string;
  secret: string;
}

/** The wall link of a display key: opening it signs a screen in, with nothing typed on it. */
export function wallLink(origin: string, secret: string): string {
  return `${origin}${WALL_PATH}?key=${encodeURIComponent(secret)}`;
}

/** A secret shown once, with a copy button; gone when the admin leaves the page or dismisses it. */
export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
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

function DisplayKeys() {
  const keys = useQuery(adminQueries.displayKeys());
  const phones = useQuery(phoneQueries.list());
  const phoneList = phones.data ?? [];
  const names = new Map(phoneList.map((p) => [p.id, p.name]));
  const [phoneIds, setPhoneIds] = useState<string[]>([]);
  const [created, setCreated] = useState<{ name: string; link: string } | null>(null);
  const form = useNamedCreate({
    create: (name) => api<CreatedSecret>('/api/display-keys', { method: 'POST', body: { name, phoneIds } }),
    refresh: adminQueries.displayKeys().queryKey,
    onCreated: (result, name) => {
      setCreated({ name, link: wallLink(window.location.origin, result.secret) });
      setPhoneIds([]);
    },
  });
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
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
        <Field
          label="Display name"
          value={form.name}
          onChange={(e) => form.setName(e.target.value)}
          maxLength={80}
          autoComplete="off"
          placeholder="Reception wall"
          error={form.nameError('Name the screen, e.g. "Reception wall".')}
        />
        <PhonePicker
          legend="Phones on this wall"
          phones={phoneList}
          value={phoneIds}
          onChange={setPhoneIds}
          emptyMeaning="None chosen: every phone, including phones added later."
        />
        <FormError>{form.formError}</FormError>
        <div>
          <Button type="submit" variant="primary" pending={form.pending}>
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
      <RevokeList
        what="display key"
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
        path={(id) => `/api/display-keys/${encodeURIComponent(id)}`}
        refresh={adminQueries.displayKeys().queryKey}
        consequence="Every screen opened with its link is signed out at once."
      />
    </section>
  );
}

const TOKEN_STATUS_TEXT: Record<ApiTokenStatus, string> = {
  active: 'Works',
  expired: 'Expired',
  creator_disabled: 'Stopped: its maker is disabled',
  creator_missing: 'Stopped: its maker is gone',
  creator_role: 'Stopped: its maker is no longer an admin',
};

/** The end of the chosen day, in this browser's time zone, as the server takes it (ISO). */
export function endOfDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const end = new Date(`${date}T23:59:59.999`);
  return Number.isNaN(end.getTime()) ? undefined : end.toISOString();
}

function ApiTokens() {
  const tokens = useQuery(adminQueries.tokens());
  const phones = useQuery(phoneQueries.list());
  const phoneList = phones.data ?? [];
  const names = new Map(phoneList.map((p) => [p.id, p.name]));
  const [role, setRole] = useState<Role>('viewer');
  const [phoneIds, setPhoneIds] = useState<string[]>([]);
  const [expiresOn, setExpiresOn] = useState('');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const form = useNamedCreate({
    create: (name) => {
      const expiresAt = endOfDay(expiresOn);
      // No phones chosen means every phone: the server takes that as phoneIds left out.
      const body = {
        name,
        role,
        ...(expiresAt ? { expiresAt } : {}),
        ...(phoneIds.length ? { phoneIds } : {}),
      };
      return api<CreatedSecret>('/api/tokens', { method: 'POST', body });
    },
    refresh: adminQueries.tokens().queryKey,
    onCreated: (result, name) => {
      setCreated({ name, secret: result.secret });
      setPhoneIds([]);
      setExpiresOn('');
    },
  });
  return (
    <section aria-labelledby="tokens-heading" className={PANEL}>
      <div>
        <h2 id="tokens-heading" className="font-semibold text-lg">
          API tokens
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with its role on
          its phones, for as long as the admin who made it stays an active admin, until it expires or is
          revoked.
        </p>
      </div>
      <form onSubmit={form.submit} noValidate className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Token name"
          value={form.name}
          onChange={(e) => form.setName(e.target.value)}
          maxLength={80}
          autoComplete="off"
          placeholder="CRM integration"
          error={form.nameError('Name the token after what uses it.')}
        />
        <RoleSelect label="Token role" value={role} onChange={setRole} />
        <Field
          label="Expires after"
          type="date"
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.target.value)}
          hint="The last day it works. Empty: until revoked."
        />
        <div className="sm:col-span-2">
          <PhonePicker
            legend="Phones of this token"
            phones={phoneList}
            value={phoneIds}
            onChange={setPhoneIds}
            emptyMeaning="None chosen: every phone, including phones added later."
          />
        </div>
        <div className="flex flex-col gap-3 sm:col-span-2">
          <FormError>{form.formError}</FormError>
          <div>
            <Button type="submit" variant="primary" pending={form.pending}>
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
      <RevokeList
        what="API token"
        caption="API tokens"
        empty="No API tokens."
        rows={(tokens.data ?? []).map((t) => ({
          id: t.id,
          name: t.name,
          scope: `${ROLE_TEXT[t.role]?.label ?? t.role}, ${
            t.phoneIds === null
              ? 'all phones'
              : t.phoneIds.map((id) => names.get(id) ?? 'Removed phone').join(', ')
          }`,
          createdAt: t.createdAt,
          lastUsedAt: t.lastUsedAt,
          details: [
            t.createdBy === null ? 'Nobody' : (t.createdBy.username ?? 'Deleted user'),
            t.expiresAt === null ? 'Never' : formatDate(t.expiresAt),
            TOKEN_STATUS_TEXT[t.status] ?? t.status,
          ],
        }))}
        scopeLabel="Role and phones"
        detailLabels={['Made by', 'Expires', 'State']}
        error={tokens.isError && !tokens.data ? tokens.error : undefined}
        path={(id) => `/api/tokens/${encodeURIComponent(id)}`}
        refresh={adminQueries.tokens().queryKey}
        consequence="Scripts using it are refused from their next request."
      />
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
