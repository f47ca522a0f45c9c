import type { Contact, SessionUser } from '@linedeck/contract';
import { formatNumber } from '@linedeck/contract/numbers';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { errorText } from '../../lib/error-text.ts';
import { useDeleteContact, useMakeCall } from '../../lib/mutations.ts';
import { canManageContacts } from '../../lib/permissions.ts';
import { contactQueries } from '../../lib/queries.ts';
import { CallFromPicker, useCallFrom } from './call-from.tsx';
import { ContactForm } from './contact-form.tsx';
import { EXPORT_URL } from './contacts-api.ts';
import { ExtensionTones } from './extension-tones.tsx';
import { ImportForm } from './import-form.tsx';
import { useDefaultCountry } from './number-settings.ts';

type Editing = { kind: 'add' } | { kind: 'edit'; contact: Contact } | { kind: 'import' } | undefined;

/** Search, list, add, edit, import and remove contacts, and call one from a phone the user controls. */
export function ContactsPage({ user }: { user: SessionUser }) {
  const [q, setQ] = useState('');
  const query = useDeferredValue(q);
  const contacts = useQuery(contactQueries.search(query, 100));
  const manage = canManageContacts(user);
  const callFrom = useCallFrom(user);
  const makeCall = useMakeCall(callFrom.phoneId ?? '');
  const remove = useDeleteContact();
  const [editing, setEditing] = useState<Editing>();
  const [removing, setRemoving] = useState<Contact>();
  const [tones, setTones] = useState<{ phoneId: string; extension: string }>();
  const country = useDefaultCountry();
  const shown = (n: { number: string; extension: string | null }) =>
    formatNumber(n.number, country, n.extension);
  const searchId = useId();

  useEffect(() => {
    document.title = 'Contacts · LineDeck';
  }, []);

  const page = contacts.data;
  const close = () => setEditing(undefined);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-semibold text-2xl">Contacts</h1>
        <div className="ml-auto flex gap-2">
          {manage && (
            <>
              <Button variant="primary" onClick={() => setEditing({ kind: 'add' })}>
                Add contact
              </Button>
              <Button onClick={() => setEditing({ kind: 'import' })}>Import</Button>
            </>
          )}
          <a
            href={EXPORT_URL}
            download="contacts.csv"
            className="inline-flex items-center rounded-md border border-zinc-300 px-3 py-2 font-medium text-sm dark:border-zinc-700"
          >
            Export CSV
          </a>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <label htmlFor={searchId} className="font-medium text-sm">
            Search contacts
          </label>
          <input
            id={searchId}
            type="search"
            value={q}
            placeholder="Name, company or number"
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <CallFromPicker phones={callFrom.phones} phoneId={callFrom.phoneId} onChange={callFrom.setPhoneId} />
      </div>

      {tones && (
        <ExtensionTones
          phoneId={tones.phoneId}
          extension={tones.extension}
          onDone={() => setTones(undefined)}
        />
      )}
      {contacts.isError && !page ? (
        <p role="alert">{errorText(contacts.error)}</p>
      ) : !page ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading…</p>
      ) : page.contacts.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          {query ? 'No contact matches.' : 'No contacts yet.'}
        </p>
      ) : (
        <>
          <ul aria-label="Contacts" className="flex flex-col divide-y divide-zinc-200 dark:divide-zinc-800">
            {page.contacts.map((c) => (
              <li key={c.id} aria-label={c.name} className="flex flex-wrap items-center gap-x-4 gap-y-2 py-2">
                <div className="min-w-48 flex-1">
                  <p className="font-medium">
                    {c.name}
                    {c.company && <span className="text-zinc-600 dark:text-zinc-400"> · {c.company}</span>}
                    {c.source === 'directory' && (
                      <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 font-normal text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                        Directory
                      </span>
                    )}
                  </p>
                  <p className="font-mono text-sm text-zinc-700 dark:text-zinc-300">
                    {shown(c)}
                    {c.otherNumbers.map((o) => (
                      <span key={`${o.label}:${o.number}`}>
                        {' · '}
                        {o.label ? `${o.label} ` : ''}
                        {shown(o)}
                      </span>
                    ))}
                  </p>
                  {c.email && <p className="text-sm text-zinc-600 dark:text-zinc-400">{c.email}</p>}
                  {c.notes && <p className="text-sm text-zinc-600 dark:text-zinc-400">{c.notes}</p>}
                </div>
                <div className="flex gap-2">
                  {callFrom.phoneId && (
                    <Button
                      variant="success"
                      size="sm"
                      aria-label={`Call ${c.name}`}
                      pending={makeCall.isPending && makeCall.variables?.number === c.number}
                      blocked={makeCall.isPending && makeCall.variables?.number !== c.number}
                      onClick={() =>
                        makeCall.mutate(
                          { number: c.number },
                          {
                            onSuccess: () => {
                              const phoneId = callFrom.phoneId;
                              setTones(
                                c.extension && phoneId ? { phoneId, extension: c.extension } : undefined,
                              );
                            },
                          },
                        )
                      }
                    >
                      Call
                    </Button>
                  )}
                  {/* The directory's contacts are changed in the directory, not here. */}
                  {manage && c.source !== 'directory' && (
                    <>
                      <Button
                        size="sm"
                        aria-label={`Edit ${c.name}`}
                        onClick={() => setEditing({ kind: 'edit', contact: c })}
                      >
                        Edit
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete ${c.name}`}
                        onClick={() => setRemoving(c)}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {page.total > page.contacts.length && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Showing {page.contacts.length} of {page.total}: search to narrow the list.
            </p>
          )}
        </>
      )}

      <Dialog
        open={editing?.kind === 'add' || editing?.kind === 'edit'}
        onClose={close}
        title={editing?.kind === 'edit' ? 'Edit contact' : 'Add contact'}
      >
        <ContactForm contact={editing?.kind === 'edit' ? editing.contact : undefined} onDone={close} />
      </Dialog>
      <Dialog open={editing?.kind === 'import'} onClose={close} title="Import contacts">
        <ImportForm onDone={close} />
      </Dialog>
      <Dialog
        open={removing !== undefined}
        onClose={() => setRemoving(undefined)}
        title="Delete contact?"
        description={removing ? `${removing.name} (${shown(removing)}) is removed for everyone.` : undefined}
      >
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setRemoving(undefined)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            pending={remove.isPending}
            onClick={() => removing && remove.mutate(removing, { onSuccess: () => setRemoving(undefined) })}
          >
            Delete
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
