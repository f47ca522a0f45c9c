import type { CreatePhoneBody, Diagnosis, Phone, PhoneAuthChoice, UpdatePhoneBody } from '@linedeck/contract';
import { DEFAULT_USERNAME } from '@linedeck/cti/credential';
import { MODEL_NAMES } from '@linedeck/cti/models';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { StatusBadge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Field } from '../../components/ui/field.tsx';
import { api } from '../../lib/api-client.ts';
import { AUTH_CHOICES, AUTH_STOPPED_SHORT, authChoiceLabel, phoneWords } from '../../lib/auth-text.ts';
import { errorText } from '../../lib/error-text.ts';
import { phoneQueries, stateQueries } from '../../lib/queries.ts';
import { queryClient } from '../../lib/query-client.ts';
import { consolePath, Link } from '../../lib/router.tsx';
import { toast } from '../../lib/toasts.ts';
import { ActionUrlPanel } from './action-url-panel.tsx';
import { DiagnosisView } from './diagnosis-view.tsx';
import { FormError, fieldErrors, PANEL, SelectField, SettingsTable, TD } from './form-controls.tsx';
import { phoneListPage } from './phone-list-page.ts';

function refreshPhones(): void {
  void queryClient.invalidateQueries({ queryKey: phoneQueries.all() });
  void queryClient.invalidateQueries({ queryKey: stateQueries.all().queryKey });
}

const phonePath = (id: string) => `/api/phones/${encodeURIComponent(id)}`;
const runTest = (id: string) => api<Diagnosis>(`${phonePath(id)}/test`, { method: 'POST' });

interface PhoneFormValues {
  name: string;
  host: string;
  model: string;
  auth: PhoneAuthChoice;
  username: string;
  passcode: string;
  allowSelfSigned: boolean;
}

type TextKey = Exclude<keyof PhoneFormValues, 'allowSelfSigned' | 'auth'>;

/** The contract's rule for a phone's web account (createPhoneBodySchema.username), checked before sending. */
const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/** "Sign-in": one radio per scheme, each with its line of help (read out with it). */
function SignInChoice({
  value,
  onChange,
}: {
  value: PhoneAuthChoice;
  onChange: (v: PhoneAuthChoice) => void;
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-1 sm:col-span-2">
      <legend className="font-medium text-sm">Sign-in</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {AUTH_CHOICES.map((choice) => (
          <div key={choice.value} className="flex flex-col gap-0.5">
            <label className="flex min-h-8 items-center gap-2 text-sm">
              <input
                type="radio"
                name={`${id}-auth`}
                className="size-4 min-h-0 p-0"
                value={choice.value}
                checked={value === choice.value}
                onChange={() => onChange(choice.value)}
                aria-describedby={`${id}-${choice.value}`}
              />
              {choice.label}
            </label>
            <p id={`${id}-${choice.value}`} className="pl-6 text-xs text-zinc-600 dark:text-zinc-400">
              {choice.help}
            </p>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Name, address, model, how to sign in, the web account and its password. The password is
 * write-only: never sent back by the server, never prefilled; when editing, blank keeps the stored one.
 */
function PhoneForm({
  initial,
  editing,
  pending,
  error,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: PhoneFormValues;
  editing: boolean;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (values: PhoneFormValues) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const [missing, setMissing] = useState<string[]>([]);
  const [badUsername, setBadUsername] = useState(false);
  const issues = fieldErrors(error);
  const selfSignedHintId = useId();
  // The server sends the stored password only to the address it was typed for (docs/security.md).
  const hostChanged = editing && values.host.trim() !== initial.host;
  const set = (key: TextKey) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const required: TextKey[] = editing && !hostChanged ? ['name', 'host'] : ['name', 'host', 'passcode'];
    const absent = required.filter((k) => !values[k].trim());
    const badName = !USERNAME_PATTERN.test(values.username.trim());
    setMissing(absent);
    setBadUsername(badName);
    if (absent.length === 0 && !badName) onSubmit(values);
  };
  const need = (key: string, words: string) => (missing.includes(key) ? words : issues[key]);
  const usernameError = badUsername
    ? 'A username is 1 to 64 letters, digits, dots, dashes, @ or underscores.'
    : issues.username;
  // Models the server knows may include one this build does not list: keep it selectable.
  const models =
    values.model && !MODEL_NAMES.includes(values.model) ? [values.model, ...MODEL_NAMES] : MODEL_NAMES;
  return (
    <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
      <Field
        label="Name"
        value={values.name}
        onChange={set('name')}
        maxLength={80}
        required
        autoComplete="off"
        error={need('name', 'Give the phone a name.')}
      />
      <Field
        label="Address"
        value={values.host}
        onChange={set('host')}
        required
        autoComplete="off"
        spellCheck={false}
        placeholder="192.168.1.50 or 192.168.1.50:8080"
        hint="IP address or host name of the phone, with :port if it is not 80."
        error={need('host', "Enter the phone's address.")}
      />
      <SelectField label="Model" value={values.model} onChange={set('model')} error={issues.model}>
        <option value="">Not set</option>
        {models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </SelectField>
      <SignInChoice value={values.auth} onChange={(auth) => setValues((v) => ({ ...v, auth }))} />
      <Field
        label="Username"
        value={values.username}
        onChange={set('username')}
        maxLength={64}
        required
        autoComplete="off"
        spellCheck={false}
        hint="admin or user: the phone's web account."
        error={usernameError}
      />
      <Field
        label="Password"
        type="password"
        value={values.passcode}
        onChange={set('passcode')}
        autoComplete="new-password"
        maxLength={128}
        required={!editing || hostChanged}
        hint={
          hostChanged
            ? 'A new address needs the password again: the stored one is never sent to another address.'
            : editing
              ? 'Leave blank to keep the stored password. It is never shown.'
              : "The web account's password (for Passcode: the CTI passcode). It is stored encrypted and never shown."
        }
        error={need(
          'passcode',
          hostChanged ? 'Enter the password again for the new address.' : "Enter the phone's password.",
        )}
      />
      <div className="flex flex-col gap-1 sm:col-span-2">
        <label className="flex min-h-8 items-center gap-2 font-medium text-sm">
          <input
            type="checkbox"
            className="size-4 min-h-0 p-0"
            checked={values.allowSelfSigned}
            onChange={(e) => setValues((v) => ({ ...v, allowSelfSigned: e.target.checked }))}
            aria-describedby={selfSignedHintId}
          />
          Accept the phone's self-signed HTTPS certificate
        </label>
        <p id={selfSignedHintId} className="text-xs text-zinc-600 dark:text-zinc-400">
          Only for https:// addresses: the certificate is then not verified, so use it on a trusted network.
        </p>
      </div>
      <div className="flex flex-col gap-3 sm:col-span-2">
        <FormError>{error && !Object.keys(issues).length ? errorText(error) : undefined}</FormError>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="primary" pending={pending}>
            {submitLabel}
          </Button>
          {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        </div>
      </div>
    </form>
  );
}

const EMPTY: PhoneFormValues = {
  name: '',
  host: '',
  model: '',
  auth: 'passcode',
  username: DEFAULT_USERNAME,
  passcode: '',
  allowSelfSigned: false,
};

function AddPhone({ onTested }: { onTested: (phone: Phone, diagnosis: Diagnosis) => void }) {
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: async (values: PhoneFormValues) => {
      const body: CreatePhoneBody = {
        name: values.name.trim(),
        host: values.host.trim(),
        passcode: values.passcode,
        auth: values.auth,
        username: values.username.trim(),
        ...(values.model ? { model: values.model } : {}),
        ...(values.allowSelfSigned ? { allowSelfSigned: true } : {}),
      };
      const phone = await api<Phone>('/api/phones', { method: 'POST', body });
      // Test at once: a new phone is where a wrong passcode or CTI switched off shows up.
      const diagnosis = await runTest(phone.id).catch(() => undefined);
      return { phone, diagnosis };
    },
    onSuccess: ({ phone, diagnosis }) => {
      refreshPhones();
      toast.success(`Added ${phone.name}`);
      if (diagnosis) onTested(phone, diagnosis);
      setFormKey((k) => k + 1);
    },
  });
  return (
    <section aria-labelledby="add-phone-heading" className={PANEL}>
      <h2 id="add-phone-heading" className="font-semibold text-lg">
        Add a phone
      </h2>
      <PhoneForm
        key={formKey}
        initial={EMPTY}
        editing={false}
        pending={create.isPending}
        error={create.error}
        submitLabel="Add phone"
        onSubmit={(values) => create.mutate(values)}
      />
    </section>
  );
}

function EditPhoneDialog({ phone, onClose }: { phone: Phone; onClose: () => void }) {
  const update = useMutation({
    mutationFn: (values: PhoneFormValues) => {
      const body: UpdatePhoneBody = {};
      if (values.name.trim() !== phone.name) body.name = values.name.trim();
      if (values.host.trim() !== phone.host) body.host = values.host.trim();
      if (values.model !== (phone.model ?? '')) body.model = values.model;
      if (values.auth !== phone.auth) body.auth = values.auth;
      if (values.username.trim() !== phone.username) body.username = values.username.trim();
      if (values.passcode) body.passcode = values.passcode;
      if (values.allowSelfSigned !== phone.allowSelfSigned) body.allowSelfSigned = values.allowSelfSigned;
      return api<Phone>(phonePath(phone.id), { method: 'PATCH', body });
    },
    onSuccess: (saved) => {
      refreshPhones();
      toast.success(`Saved ${saved.name}`);
      onClose();
    },
  });
  return (
    <Dialog open onClose={onClose} title={`Edit ${phone.name}`}>
      <PhoneForm
        initial={{
          name: phone.name,
          host: phone.host,
          model: phone.model ?? '',
          auth: phone.auth,
          username: phone.username,
          passcode: '',
          allowSelfSigned: phone.allowSelfSigned,
        }}
        editing
        pending={update.isPending}
        error={update.error}
        submitLabel="Save"
        onSubmit={(values) => update.mutate(values)}
        onCancel={onClose}
      />
    </Dialog>
  );
}

function RemovePhoneDialog({ phone, onClose }: { phone: Phone; onClose: () => void }) {
  const remove = useMutation({
    mutationFn: () => api<unknown>(phonePath(phone.id), { method: 'DELETE' }),
    onSuccess: () => {
      refreshPhones();
      toast.success(`Removed ${phone.name}`);
      onClose();
    },
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Remove ${phone.name}?`}
      description="LineDeck stops watching this phone and forgets its address and passcode. The phone itself is not changed."
    >
      <FormError>{remove.error ? errorText(remove.error) : undefined}</FormError>
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" pending={remove.isPending} onClick={() => remove.mutate()}>
          Remove
        </Button>
      </div>
    </Dialog>
  );
}

function PhoneRow({
  phone,
  diagnosis,
  onTested,
  onEdit,
  onRemove,
}: {
  phone: Phone;
  diagnosis: Diagnosis | undefined;
  onTested: (phone: Phone, diagnosis: Diagnosis) => void;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const states = useQuery(stateQueries.all());
  const state = states.data?.find((s) => s.phoneId === phone.id);
  const [faster, setFaster] = useState(false);
  const fasterId = useId();
  const test = useMutation({
    mutationFn: () => runTest(phone.id),
    onSuccess: (result) => {
      refreshPhones();
      onTested(phone, result);
    },
    onError: (error) => toast.error(errorText(error)),
  });
  return (
    <>
      <tr>
        <td className={TD}>
          <Link href={consolePath(phone.id)} className="font-medium underline-offset-2 hover:underline">
            {phone.name}
          </Link>
        </td>
        <td className={`${TD} font-mono`}>{phone.host}</td>
        <td className={TD}>
          {phone.model ?? 'Not set'}
          {phone.firmware && (
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">{phone.firmware}</span>
          )}
        </td>
        <td className={TD}>
          {authChoiceLabel(phone.auth)}
          {phone.auth !== 'passcode' && (
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">as {phone.username}</span>
          )}
        </td>
        <td className={TD}>
          <StatusBadge status={state?.status ?? 'unknown'} />
          {state?.status === 'unauthorized' && (
            <span className="mt-1 block max-w-56 text-xs">
              <span className="block font-semibold text-red-800 dark:text-red-200">
                {phoneWords(state.error?.auth)}
              </span>
              <span className="block text-zinc-700 dark:text-zinc-300">{AUTH_STOPPED_SHORT}</span>
            </span>
          )}
        </td>
        <td className={TD}>
          <div className="flex flex-wrap gap-2">
            <Button
              size="sm"
              pending={test.isPending}
              onClick={() => test.mutate()}
              aria-label={`Test connection to ${phone.name}`}
            >
              Test connection
            </Button>
            <Button
              size="sm"
              onClick={() => setFaster((open) => !open)}
              aria-expanded={faster}
              aria-controls={faster ? fasterId : undefined}
              aria-label={`Faster updates for ${phone.name}`}
            >
              Faster updates
              <span aria-hidden="true">{faster ? ' ▴' : ' ▾'}</span>
            </Button>
            <Button size="sm" onClick={onEdit} aria-label={`Edit ${phone.name}`}>
              Edit
            </Button>
            <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${phone.name}`}>
              Remove
            </Button>
          </div>
        </td>
      </tr>
      {faster && (
        <tr id={fasterId}>
          <td colSpan={6} className={TD}>
            <ActionUrlPanel phoneId={phone.id} phoneName={phone.name} />
          </td>
        </tr>
      )}
      {diagnosis && (
        <tr>
          <td colSpan={6} className={TD}>
            <DiagnosisView phone={phone} diagnosis={diagnosis} onFixed={() => test.mutate()} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Search and Previous/Next for a long list; nothing when every phone fits on one page. */
function PhoneListControls({
  query,
  onQuery,
  page,
  pages,
  matching,
  total,
  onPage,
}: {
  query: string;
  onQuery: (q: string) => void;
  page: number;
  pages: number;
  matching: number;
  total: number;
  onPage: (page: number) => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field
        label="Search phones"
        type="search"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        placeholder="Name, address or model"
      />
      <p className="min-h-10 content-center text-sm text-zinc-700 dark:text-zinc-300" aria-live="polite">
        {matching === total ? `${total} phones` : `${matching} of ${total} phones match`}
        {pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}
      </p>
      {pages > 1 && (
        <nav aria-label="Phone list pages" className="ml-auto flex gap-2">
          <Button disabled={page === 0} onClick={() => onPage(page - 1)}>
            Previous
          </Button>
          <Button disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
            Next
          </Button>
        </nav>
      )}
    </div>
  );
}

/** Settings → Phones: add, edit, remove, test; the list searched and paged (hundreds of phones). */
export function PhonesSettings() {
  const phones = useQuery(phoneQueries.list());
  const [diagnoses, setDiagnoses] = useState<ReadonlyMap<string, Diagnosis>>(new Map());
  const [editing, setEditing] = useState<Phone | null>(null);
  const [removing, setRemoving] = useState<Phone | null>(null);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const onTested = (phone: Phone, diagnosis: Diagnosis) =>
    setDiagnoses((d) => new Map(d).set(phone.id, diagnosis));
  const all = phones.data ?? [];
  const view = phoneListPage(all, query, page);

  return (
    <div className="flex flex-col gap-6">
      <AddPhone onTested={onTested} />
      <section aria-labelledby="phones-heading" className={PANEL}>
        <h2 id="phones-heading" className="font-semibold text-lg">
          Phones ({all.length})
        </h2>
        {phones.isPending ? (
          <p>Loading…</p>
        ) : phones.isError && !phones.data ? (
          <FormError>{errorText(phones.error)}</FormError>
        ) : all.length === 0 ? (
          <p className="text-zinc-600 dark:text-zinc-400">No phones yet: add the first one above.</p>
        ) : (
          <>
            <PhoneListControls
              query={query}
              onQuery={(q) => {
                setQuery(q);
                setPage(0);
              }}
              page={view.page}
              pages={view.pages}
              matching={view.matching}
              total={all.length}
              onPage={setPage}
            />
            {view.phones.length === 0 ? (
              <p className="text-zinc-600 dark:text-zinc-400">No phone matches “{query}”.</p>
            ) : (
              <SettingsTable columns={['Name', 'Address', 'Model', 'Sign-in', 'Status']}>
                {view.phones.map((phone) => (
                  <PhoneRow
                    key={phone.id}
                    phone={phone}
                    diagnosis={diagnoses.get(phone.id)}
                    onTested={onTested}
                    onEdit={() => setEditing(phone)}
                    onRemove={() => setRemoving(phone)}
                  />
                ))}
              </SettingsTable>
            )}
          </>
        )}
      </section>
      {editing && <EditPhoneDialog phone={editing} onClose={() => setEditing(null)} />}
      {removing && <RemovePhoneDialog phone={removing} onClose={() => setRemoving(null)} />}
    </div>
  );
}
