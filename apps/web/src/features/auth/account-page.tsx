/**
 * The signed-in user's own page: where they are signed in (ending sessions they do not recognise) and,
 * for admins, the TOTP second factor with its recovery codes.
 */
import type { Account, AccountSession, SessionUser, TotpEnrolment } from '@linedeck/contract';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { queryClient } from '../../lib/query-client.ts';
import { toast } from '../../lib/toasts.ts';
import { ScreenPopSection } from '../account/screen-pop-section.tsx';

const PANEL =
  'flex flex-col gap-4 rounded-2xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900';
const TD = 'border-zinc-200 border-t px-2 py-2 align-top dark:border-zinc-800';
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const sessionsKey = ['account', 'sessions'] as const;
const accountKey = ['account'] as const;

/** "Firefox on Linux" from a User-Agent, falling back to the raw text. */
export function deviceName(userAgent: string): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : undefined;
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return browser && system ? `${browser} on ${system}` : userAgent.slice(0, 80);
}

function Sessions() {
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: () => api<AccountSession[]>('/api/account/sessions'),
  });
  const end = useMutation({
    mutationFn: (id: string | undefined) =>
      api<unknown>(id ? `/api/account/sessions/${encodeURIComponent(id)}` : '/api/account/sessions', {
        method: 'DELETE',
      }),
    onSuccess: (_r, id) =>
      toast.success(id ? 'That session is signed out.' : 'Your other sessions are signed out.'),
    onError: (error) => toast.error('Could not end the session', errorText(error)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  });
  const list = sessions.data ?? [];
  return (
    <section aria-labelledby="sessions-heading" className={PANEL}>
      <h2 id="sessions-heading" className="font-semibold text-lg">
        Where you are signed in
      </h2>
      {sessions.isPending ? (
        <p>Loading…</p>
      ) : sessions.isError ? (
        <p role="alert">{errorText(sessions.error)}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th className="px-2 py-1">Device</th>
                <th className="px-2 py-1">Address</th>
                <th className="px-2 py-1">Signed in</th>
                <th className="px-2 py-1">Last seen</th>
                <th className="px-2 py-1">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td className={TD} title={s.userAgent}>
                    {deviceName(s.userAgent)}
                    {s.current && <strong> (this session)</strong>}
                  </td>
                  <td className={TD}>{s.address || '–'}</td>
                  <td className={TD}>{dateFormat.format(new Date(s.createdAt))}</td>
                  <td className={TD}>{dateFormat.format(new Date(s.lastSeenAt))}</td>
                  <td className={TD}>
                    {!s.current && (
                      <Button
                        size="sm"
                        pending={end.isPending && end.variables === s.id}
                        onClick={() => end.mutate(s.id)}
                        aria-label={`Sign out ${deviceName(s.userAgent)} from ${s.address || 'an unknown address'}`}
                      >
                        Sign out
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.length > 1 && (
        <div>
          <Button
            pending={end.isPending && end.variables === undefined}
            onClick={() => end.mutate(undefined)}
          >
            Sign out all other sessions
          </Button>
        </div>
      )}
    </section>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-3">
      <p className="font-medium">The second factor is on. Keep these recovery codes somewhere safe:</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Each one signs you in once if your phone is lost. They are shown only now.
      </p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div>
        <Button variant="primary" onClick={onDone}>
          I saved them
        </Button>
      </div>
    </div>
  );
}

function CodeForm({
  label,
  action,
  pending,
  error,
  onSubmit,
}: {
  label: string;
  action: string;
  pending: boolean;
  error: unknown;
  onSubmit: (code: string) => void;
}) {
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending && code.trim()) onSubmit(code.trim());
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
      <Field
        label={label}
        autoComplete="one-time-code"
        spellCheck={false}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={error ? errorText(error) : undefined}
      />
      <Button type="submit" variant="primary" pending={pending}>
        {action}
      </Button>
    </form>
  );
}

function SecondFactor({ account }: { account: Account }) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>();
  const [codes, setCodes] = useState<string[] | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountKey });
  const start = useMutation({
    mutationFn: () => api<TotpEnrolment>('/api/account/totp', { method: 'POST' }),
    onSuccess: setEnrolment,
    onError: (error) => toast.error('Could not start', errorText(error)),
  });
  const confirm = useMutation({
    mutationFn: (code: string) =>
      api<{ recoveryCodes: string[] }>('/api/account/totp/confirm', { method: 'POST', body: { code } }),
    onSuccess: (answer) => {
      setEnrolment(undefined);
      setCodes(answer.recoveryCodes);
      refresh();
    },
  });
  const disable = useMutation({
    mutationFn: (code: string) =>
      api<unknown>('/api/account/totp/disable', { method: 'POST', body: { code } }),
    onSuccess: () => {
      toast.success('The second factor is off.');
      refresh();
    },
  });

  let body: React.ReactNode;
  if (codes) {
    body = <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} />;
  } else if (enrolment) {
    body = (
      <div className="flex flex-col gap-3">
        <p>Scan this code with an authenticator app, then type the 6-digit code it shows.</p>
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
          alt="QR code of the second factor's secret"
          className="size-48 bg-white p-2"
        />
        <p className="text-sm">
          Cannot scan? Type this key in the app: <code data-testid="totp-secret">{enrolment.secret}</code>
        </p>
        <CodeForm
          label="Code from the app"
          action="Turn on"
          pending={confirm.isPending}
          error={confirm.error}
          onSubmit={(code) => confirm.mutate(code)}
        />
      </div>
    );
  } else if (account.totpEnabled) {
    body = (
      <div className="flex flex-col gap-3">
        <p>
          <strong>On.</strong> Signing in asks for a code after the password. Recovery codes left:{' '}
          {account.recoveryCodesLeft}.
        </p>
        <CodeForm
          label="Code (or recovery code) to turn it off"
          action="Turn off"
          pending={disable.isPending}
          error={disable.error}
          onSubmit={(code) => disable.mutate(code)}
        />
      </div>
    );
  } else {
    body = (
      <div className="flex flex-col gap-3">
        <p>Off. With it on, signing in also asks for a code from an app on your phone.</p>
        <div>
          <Button variant="primary" pending={start.isPending} onClick={() => start.mutate()}>
            Set up a second factor
          </Button>
        </div>
      </div>
    );
  }
  return (
    <section aria-labelledby="totp-heading" className={PANEL}>
      <h2 id="totp-heading" className="font-semibold text-lg">
        Second factor (authenticator app)
      </h2>
      {body}
    </section>
  );
}

export function AccountPage({ user }: { user: SessionUser }) {
  const account = useQuery({ queryKey: accountKey, queryFn: () => api<Account>('/api/account') });
  useEffect(() => {
    document.title = 'Your account · LineDeck';
  }, []);
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-6">
      <h1 className="font-semibold text-2xl">Your account ({user.username})</h1>
      <Sessions />
      {user.role !== 'viewer' && <ScreenPopSection />}
      {account.data?.totpAvailable && <SecondFactor account={account.data} />}
    </div>
  );
}
