import type { Contact } from '@linedeck/contract';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { checkDialNumber } from '../../lib/dial-number.ts';
import { useSaveContact } from '../../lib/mutations.ts';

/** The server's field problems by field name. */
function issuesOf(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? '';
    out[field] = out[field] ? `${out[field]} ${issue.message}` : issue.message;
  }
  return out;
}

/** Add (no `contact`) or edit a contact. The number is checked with the dialling rule before it is sent. */
export function ContactForm({ contact, onDone }: { contact?: Contact | undefined; onDone: () => void }) {
  const save = useSaveContact();
  const [name, setName] = useState(contact?.name ?? '');
  const [number, setNumber] = useState(contact?.number ?? '');
  const [company, setCompany] = useState(contact?.company ?? '');
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const [problems, setProblems] = useState<Record<string, string>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const check = checkDialNumber(number);
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'A contact needs a name.';
    if (!check.ok) local.number = check.reason;
    setProblems(local);
    if (!check.ok || local.name) return;
    const body = { name: name.trim(), number: check.number, company: company.trim(), notes: notes.trim() };
    save.mutate(
      { id: contact?.id, body },
      { onSuccess: onDone, onError: (error) => setProblems(issuesOf(error)) },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3" aria-label="Contact">
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={problems.name} />
      <Field
        label="Number"
        type="tel"
        inputMode="tel"
        value={number}
        onChange={(e) => setNumber(e.target.value)}
        error={problems.number}
        hint="Digits, a leading +, * and #; spaces, dashes and brackets are ignored."
      />
      <Field
        label="Company"
        value={company}
        onChange={(e) => setCompany(e.target.value)}
        error={problems.company}
      />
      <Field label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} error={problems.notes} />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" pending={save.isPending}>
          {contact ? 'Save' : 'Add contact'}
        </Button>
      </div>
    </form>
  );
}
