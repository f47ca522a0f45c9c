import type { Phone, Role, SessionUser, User } from '@linedeck/contract';
import { PASSWORD_MIN_LENGTH } from '@linedeck/contract/limits';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Field } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';
import { adminQueries, phoneQueries } from '../../lib/queries.ts';
import { queryClient } from '../../lib/query-client.ts';
import { toast } from '../../lib/toasts.ts';
import { PasswordStrength } from '../auth/password-feedback.tsx';
import {
  FormError,
  fieldErrors,
  PANEL,
  PhonePicker,
  SelectField,
  SettingsTable,
  TD,
} from './form-controls.tsx';

/** The roles (the contract's ROLES, kept here: a value import of the contract would pull zod into the bundle). */
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

export const ROLE_TEXT: Record<Role, { label: string; means: string }> = {
  admin: { label: 'Admin', means: 'everything: phones, users, keys, reboot, reset, audit log' },
  operator: {
    label: 'Operator',
    means: 'call control and keys on their assigned phones (none until phones are assigned)',
  },
  viewer: { label: 'Viewer', means: 'sees phones and calls, no controls' },
};

/** A role to choose, with what the chosen role may do as its hint. */
export function RoleSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Role;
  onChange: (role: Role) => void;
}) {
  return (
    <SelectField
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      hint={ROLE_TEXT[value].means}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_TEXT[r].label}
        </option>
      ))}
    </SelectField>
  );
}

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

function refreshUsers(): void {
  void queryClient.invalidateQueries({ queryKey: adminQueries.users().queryKey });
}

type UserChange = { role?: Role; phoneIds?: string[]; disabled?: boolean; password?: string };

function useUpdateUser() {
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: UserChange; done: string }) =>
      api<User>(userPath(id), { method: 'PATCH', body: change }),
    onSuccess: (_user, { done }) => {
      refreshUsers();
      toast.success(done);
    },
    onError: (error) => toast.error(errorText(error)),
  });
}

function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `A password has at least ${PASSWORD_MIN_LENGTH} characters.`;
  return undefined;
}

function CreateUser({ phones }: { phones: readonly Phone[] }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [phoneIds, setPhoneIds] = useState<string[]>([]);
  const [checked, setChecked] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      api<User>('/api/users', {
        method: 'POST',
        body: { username: username.trim(), password, role, phoneIds },
      }),
    onSuccess: (user) => {
      refreshUsers();
      toast.success(`Created ${user.username} (${ROLE_TEXT[user.role].label})`);
      setUsername('');
      setPassword('');
      setPhoneIds([]);
      setChecked(false);
    },
  });
  const issues = fieldErrors(create.error);
  const localProblems = {
    username: username.trim() ? undefined : 'Choose a username.',
    password: passwordProblem(password),
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (create.isPending || localProblems.username || localProblems.password) return;
    create.mutate();
  };
  return (
    <section aria-labelledby="create-user-heading" className={PANEL}>
      <h2 id="create-user-heading" className="font-semibold text-lg">
        Create a user
      </h2>
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          error={(checked && localProblems.username) || issues.username}
        />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. Give it to the user; they can change it.`}
          error={(checked && localProblems.password) || issues.password}
        />
        {password && <PasswordStrength password={password} username={username.trim()} />}
        <RoleSelect label="Role" value={role} onChange={setRole} />
        <div className="sm:col-span-3">
          <PhonePicker
            legend="Assigned phones"
            phones={phones}
            value={phoneIds}
            onChange={setPhoneIds}
            emptyMeaning="None: an operator has no phones (sees and controls none), a viewer sees every phone."
          />
        </div>
        <div className="flex flex-col gap-3 sm:col-span-3">
          <FormError>
            {create.error && !Object.keys(issues).length ? errorText(create.error) : undefined}
          </FormError>
          <div>
            <Button type="submit" variant="primary" pending={create.isPending}>
              Create user
            </Button>
          </div>
        </div>
      </form>
    </section>
  );
}

function PhonesDialog({
  user,
  phones,
  onClose,
}: {
  user: User;
  phones: readonly Phone[];
  onClose: () => void;
}) {
  const [phoneIds, setPhoneIds] = useState(user.phoneIds);
  const update = useUpdateUser();
  return (
    <Dialog open onClose={onClose} title={`Phones of ${user.username}`}>
      <PhonePicker
        legend="Assigned phones"
        phones={phones}
        value={phoneIds}
        onChange={setPhoneIds}
        emptyMeaning="None: an operator has no phones (sees and controls none), a viewer sees every phone."
      />
      <FormError>{update.error ? errorText(update.error) : undefined}</FormError>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="primary"
          pending={update.isPending}
          onClick={() =>
            update.mutate(
              { id: user.id, change: { phoneIds }, done: `Saved the phones of ${user.username}` },
              { onSuccess: onClose },
            )
          }
        >
          Save phones
        </Button>
      </div>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const update = useUpdateUser();
  const problem = passwordProblem(password);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Reset the password of ${user.username}`}
      description="Their sessions end at once, and they must choose their own password at the next sign-in."
    >
      <form
        noValidate
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          setChecked(true);
          if (problem || update.isPending) return;
          update.mutate(
            { id: user.id, change: { password }, done: `Reset the password of ${user.username}` },
            { onSuccess: onClose },
          );
        }}
      >
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={checked ? problem : undefined}
        />
        <FormError>{update.error ? errorText(update.error) : undefined}</FormError>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" pending={update.isPending}>
            Reset password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** An admin ends every session of a user, or resets their second factor (a lost phone): both audited. */
function useAccountReset() {
  return useMutation({
    mutationFn: (v: { user: User; what: 'sessions' | 'totp' }) =>
      api<unknown>(`${userPath(v.user.id)}/${v.what}`, { method: 'DELETE' }),
    onSuccess: (_r, v) =>
      toast.success(
        v.what === 'sessions'
          ? `${v.user.username} is signed out everywhere`
          : `${v.user.username} signs in without a second factor now`,
      ),
    onError: (error) => toast.error('Could not do that', errorText(error)),
  });
}

function UserRow({
  user,
  me,
  phones,
  onPhones,
  onReset,
}: {
  user: User;
  me: SessionUser;
  phones: readonly Phone[];
  onPhones: () => void;
  onReset: () => void;
}) {
  const update = useUpdateUser();
  const reset = useAccountReset();
  const names = new Map(phones.map((p) => [p.id, p.name]));
  const self = user.id === me.id;
  return (
    <tr>
      <td className={`${TD} font-medium`}>
        {user.username}
        {self && <span className="text-zinc-600 dark:text-zinc-400"> (you)</span>}
      </td>
      <td className={TD}>
        <select
          aria-label={`Role of ${user.username}`}
          value={user.role}
          disabled={update.isPending}
          onChange={(e) => {
            const role = e.target.value as Role;
            update.mutate({
              id: user.id,
              change: { role },
              done: `${user.username} is now ${ROLE_TEXT[role].label}`,
            });
          }}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_TEXT[r].label}
            </option>
          ))}
        </select>
      </td>
      <td className={TD}>
        {user.phoneIds.length === 0
          ? user.role === 'operator'
            ? 'None'
            : 'All'
          : user.phoneIds.map((id) => names.get(id) ?? 'Removed phone').join(', ')}
      </td>
      <td className={TD}>
        {user.disabled ? 'Disabled' : user.mustChangePassword ? 'Must change password' : 'Active'}
      </td>
      <td className={TD}>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={onPhones} aria-label={`Assign phones to ${user.username}`}>
            Assign phones
          </Button>
          <Button size="sm" onClick={onReset} aria-label={`Reset password of ${user.username}`}>
            Reset password
          </Button>
          <Button
            size="sm"
            pending={reset.isPending && reset.variables?.what === 'sessions'}
            onClick={() => reset.mutate({ user, what: 'sessions' })}
            aria-label={`Sign out everywhere: ${user.username}`}
          >
            Sign out everywhere
          </Button>
          {user.role === 'admin' && (
            <Button
              size="sm"
              pending={reset.isPending && reset.variables?.what === 'totp'}
              onClick={() => reset.mutate({ user, what: 'totp' })}
              aria-label={`Reset second factor of ${user.username}`}
            >
              Reset second factor
            </Button>
          )}
          {!self && (
            <Button
              size="sm"
              variant={user.disabled ? 'secondary' : 'ghost'}
              pending={update.isPending && update.variables?.change.disabled !== undefined}
              aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
              onClick={() =>
                update.mutate({
                  id: user.id,
                  change: { disabled: !user.disabled },
                  done: `${user.disabled ? 'Enabled' : 'Disabled'} ${user.username}`,
                })
              }
            >
              {user.disabled ? 'Enable' : 'Disable'}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** Settings → Users: create, change role, assign phones, reset password, disable. */
export function UsersSettings({ me }: { me: SessionUser }) {
  const users = useQuery(adminQueries.users());
  const phones = useQuery(phoneQueries.list());
  const phoneList = phones.data ?? [];
  const [assigning, setAssigning] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const list = [...(users.data ?? [])].sort((a, b) => a.username.localeCompare(b.username));
  return (
    <div className="flex flex-col gap-6">
      <CreateUser phones={phoneList} />
      <section aria-labelledby="users-heading" className={PANEL}>
        <h2 id="users-heading" className="font-semibold text-lg">
          Users ({list.length})
        </h2>
        {users.isPending ? (
          <p>Loading…</p>
        ) : users.isError && !users.data ? (
          <FormError>{errorText(users.error)}</FormError>
        ) : (
          <SettingsTable columns={['Username', 'Role', 'Phones', 'Status']}>
            {list.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                me={me}
                phones={phoneList}
                onPhones={() => setAssigning(user)}
                onReset={() => setResetting(user)}
              />
            ))}
          </SettingsTable>
        )}
      </section>
      {assigning && <PhonesDialog user={assigning} phones={phoneList} onClose={() => setAssigning(null)} />}
      {resetting && <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />}
    </div>
  );
}
