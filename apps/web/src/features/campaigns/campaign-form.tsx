import type {
  CampaignImportResult,
  CampaignMode,
  CreateCampaignBody,
  CreateCampaignResult,
} from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { errorText } from '../../lib/error-text.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { MODE_TEXT } from './campaign-text.ts';
import { useCampaignControl, useCreateCampaign } from './campaigns-queries.ts';
import { EntriesField, useEntryDraft } from './entries-field.tsx';

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** What the server took and refused of the entries sent, by the line they came from. */
export function ImportOutcome({
  result,
  lines,
}: {
  result: CampaignImportResult;
  lines?: readonly number[];
}) {
  const lineOf = (row: number) => lines?.[row - 1] ?? row;
  return (
    <div className="flex flex-col gap-1 text-sm">
      <p role="status">
        {result.taken.length} {result.taken.length === 1 ? 'entry' : 'entries'} added
        {result.refused.length > 0 ? `, ${result.refused.length} refused by the server:` : '.'}
      </p>
      {result.refused.length > 0 && (
        <ul className="max-h-40 list-disc overflow-auto pl-5 text-red-700 dark:text-red-300">
          {result.refused.map((r) => (
            <li key={`${r.row}-${r.input}`}>
              Line {lineOf(r.row)}, “{r.input}”: {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function numberOr(value: string, fallback: number | undefined): number | undefined {
  const n = Number(value);
  return value.trim() === '' || !Number.isFinite(n) ? fallback : n;
}

/** A new campaign: name, mode, phones, rules and entries; created as a draft, then started on purpose. */
export function CampaignForm({ onDone }: { onDone: (campaignId?: string) => void }) {
  const phones = useQuery(phoneQueries.list());
  const create = useCreateCampaign();
  const control = useCampaignControl();
  const draft = useEntryDraft();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<CampaignMode>('preview');
  const [phoneIds, setPhoneIds] = useState<string[]>([]);
  const [wrapUp, setWrapUp] = useState('5');
  const [ringTimeout, setRingTimeout] = useState('30');
  const [attempts, setAttempts] = useState('2');
  const [retryAfter, setRetryAfter] = useState('30');
  const [hoursOn, setHoursOn] = useState(false);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('18:00');
  const [timeZone, setTimeZone] = useState(LOCAL_ZONE);
  const [problem, setProblem] = useState<string>();
  const [created, setCreated] = useState<{ result: CreateCampaignResult; lines: number[] }>();
  const hoursId = useId();

  if (created) {
    const { campaign } = created.result;
    return (
      <div className="flex flex-col gap-3">
        <p>
          <strong>{campaign.name}</strong> is saved as a draft: nothing is dialled until you start it.
        </p>
        {created.result.import && <ImportOutcome result={created.result.import} lines={created.lines} />}
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={() => onDone(campaign.id)}>Close</Button>
          <Button
            variant="success"
            pending={control.isPending}
            onClick={() =>
              control.mutate(
                { id: campaign.id, verb: 'start', name: campaign.name },
                { onSuccess: () => onDone(campaign.id) },
              )
            }
          >
            Start now
          </Button>
        </div>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (!name.trim()) return setProblem('Give the campaign a name.');
    if (phoneIds.length === 0) return setProblem('Choose at least one phone to work it.');
    const entries = draft.read.entries;
    const body: CreateCampaignBody = {
      name: name.trim(),
      mode,
      phoneIds,
      ...(entries.length > 0
        ? { entries: entries.map(({ number, name, note }) => ({ number, name, note })) }
        : {}),
      wrapUpSeconds: numberOr(wrapUp, 5),
      ringTimeoutSeconds: numberOr(ringTimeout, 30),
      maxAttempts: numberOr(attempts, 2),
      retryAfterMinutes: numberOr(retryAfter, 30),
      callingHours: hoursOn ? { from, to, timeZone: timeZone.trim() } : null,
    };
    create.mutate(body, {
      onSuccess: (result) => setCreated({ result, lines: entries.map((e) => e.line) }),
      onError: (error) => setProblem(errorText(error)),
    });
  };

  return (
    <form className="flex flex-col gap-4" aria-label="New campaign" noValidate onSubmit={submit}>
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
      <fieldset className="flex flex-col gap-1">
        <legend className="font-medium text-sm">Mode</legend>
        {(['preview', 'automatic'] as const).map((m) => (
          <label key={m} className="flex items-center gap-2 text-sm">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {MODE_TEXT[m]}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend className="font-medium text-sm">Phones that work it</legend>
        <div className="flex max-h-40 flex-col gap-1 overflow-auto">
          {(phones.data ?? []).map((p) => (
            <label key={p.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={phoneIds.includes(p.id)}
                onChange={(e) =>
                  setPhoneIds((ids) => (e.target.checked ? [...ids, p.id] : ids.filter((id) => id !== p.id)))
                }
              />
              {p.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <legend className="mb-1 font-medium text-sm">Rules</legend>
        <Field
          label="Wrap-up (s)"
          type="number"
          min={0}
          value={wrapUp}
          onChange={(e) => setWrapUp(e.target.value)}
          hint="Automatic: idle time before the next dial"
        />
        <Field
          label="Ring timeout (s)"
          type="number"
          min={1}
          value={ringTimeout}
          onChange={(e) => setRingTimeout(e.target.value)}
        />
        <Field
          label="Attempts"
          type="number"
          min={1}
          value={attempts}
          onChange={(e) => setAttempts(e.target.value)}
          hint="No answer and busy are tried again"
        />
        <Field
          label="Retry after (min)"
          type="number"
          min={0}
          value={retryAfter}
          onChange={(e) => setRetryAfter(e.target.value)}
        />
      </fieldset>
      <fieldset className="flex flex-col gap-2">
        <legend className="font-medium text-sm">Calling hours</legend>
        <label htmlFor={hoursId} className="flex items-center gap-2 text-sm">
          <input
            id={hoursId}
            type="checkbox"
            checked={hoursOn}
            onChange={(e) => setHoursOn(e.target.checked)}
          />
          Dial only between these times
        </label>
        {hoursOn && (
          <div className="grid grid-cols-3 gap-3">
            <Field label="From" type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
            <Field label="To" type="time" value={to} onChange={(e) => setTo(e.target.value)} />
            <Field label="Time zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
          </div>
        )}
      </fieldset>
      <EntriesField draft={draft} />
      {problem && (
        <p role="alert" className="text-red-700 text-sm dark:text-red-300">
          {problem}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={() => onDone()}>Cancel</Button>
        <Button type="submit" variant="primary" pending={create.isPending}>
          Create campaign
        </Button>
      </div>
    </form>
  );
}
