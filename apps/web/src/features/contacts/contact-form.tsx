import type { Contact, CreateContactBody } from '@linedeck/contract';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { checkDialNumber, dialPreview } from '../../lib/dial-number.ts';
import { errorText } from '../../lib/error-text.ts';
import { useSaveContact } from './contacts-api.ts';
import { useNumberFormat } from './number-settings.ts';

/** The server's field problems by field name; a problem that names no field under `form`. */
function issuesOf(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.issues.length === 0) return { form: errorText(error) };
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] || 'form';
    out[field] = out[field] ? `${out[field]} ${issue.message}` : issue.message;
  }
  return out;
}

const asTyped = (n: { number: string; extension: string | null }) =>
  n.extension ? `${n.number} ext. ${n.extension}` : n.number;

/** "Mobile: 0170 1234567" or just the number, one per line. */
function readOtherNumbers(text: string): {
  numbers: { label: string | null; number: string }[];
  problem?: string;
} {
  const numbers: { label: string | null; number: string }[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const labelled = /^([^:0-9+]{1,40}):\s*(.+)$/.exec(line);
    const number = labelled ? (labelled[2] ?? '') : line;
    const check = checkDialNumber(number);
    if (!check.ok) return { numbers, problem: `“${line}”: ${check.reason}` };
    numbers.push({ label: labelled ? (labelled[1] ?? '').trim() : null, number });
  }
  return { numbers };
}

/**
 * Add (no `contact`; `prefill` starts the fields, e.g. a caller from the call journal) or edit a contact.
 * Numbers are read as pasted and checked before they are sent. `onDone` gets the saved contact.
 */
export function ContactForm({
  contact,
  prefill,
  onDone,
}: {
  contact?: Contact | undefined;
  prefill?: { name?: string; number?: string } | undefined;
  onDone: (saved?: Contact) => void;
}) {
  const save = useSaveContact();
  const format = useNumberFormat();
  const [name, setName] = useState(contact?.name ?? prefill?.name ?? '');
  const [number, setNumber] = useState(contact ? asTyped(contact) : (prefill?.number ?? ''));
  const [others, setOthers] = useState(
    contact?.otherNumbers.map((o) => (o.label ? `${o.label}: ${asTyped(o)}` : asTyped(o))).join('\n') ?? '',
  );
  const [company, setCompany] = useState(contact?.company ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const othersId = useId();
  const check = checkDialNumber(number);
  const preview = number.trim() ? dialPreview(check, format) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const other = readOtherNumbers(others);
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'A contact needs a name.';
    if (!check.ok) local.number = check.reason;
    if (other.problem) local.otherNumbers = other.problem;
    setProblems(local);
    if (Object.keys(local).length > 0) return;
    const body: CreateContactBody = {
      name: name.trim(),
      number: number.trim(),
      company: company.trim(),
      email: email.trim(),
      notes: notes.trim(),
      otherNumbers: other.numbers,
    };
    save.mutate(
      { id: contact?.id, body },
      { onSuccess: (saved) => onDone(saved), onError: (error) => setProblems(issuesOf(error)) },
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
        hint={
          preview ?? 'As you have it: 030/123 45-67, +49 (0)30 …, tel: links, ext. 12 or x12, 1-800-FLOWERS.'
        }
      />
      <div className="flex flex-col gap-1">
        <label htmlFor={othersId} className="font-medium text-sm">
          Other phones
        </label>
        <textarea
          id={othersId}
          rows={2}
          className="font-mono text-sm"
          placeholder="Mobile: 0170 1234567"
          value={others}
          aria-invalid={problems.otherNumbers ? true : undefined}
          onChange={(e) => setOthers(e.target.value)}
        />
        {problems.otherNumbers && (
          <p className="text-red-700 text-sm dark:text-red-300">{problems.otherNumbers}</p>
        )}
      </div>
      <Field
        label="Company"
        value={company}
        onChange={(e) => setCompany(e.target.value)}
        error={problems.company}
      />
      <Field
        label="Email"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={problems.email}
      />
      <Field label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} error={problems.notes} />
      {problems.form && (
        <p role="alert" className="text-red-700 text-sm dark:text-red-300">
          {problems.form}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={() => onDone()}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" pending={save.isPending}>
          {contact ? 'Save' : 'Add contact'}
        </Button>
      </div>
    </form>
  );
}
