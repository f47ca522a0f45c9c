import type { Campaign, CampaignEntry, LineView, SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { Link } from '../../lib/router.tsx';
import { useNow } from '../../lib/time.ts';
import { useNumberFormat } from '../contacts/number-settings.ts';
import { campaignPath } from './campaign-paths.ts';
import { canManageCampaign } from './campaign-permissions.ts';
import { MODE_TEXT, STATE_TEXT, WAIT_TEXT } from './campaign-text.ts';
import {
  campaignQueries,
  useCampaignControl,
  useCampaignNext,
  useCreateCampaign,
  useEntryOutcome,
} from './campaigns-queries.ts';
import { secondsLeft } from './countdown.ts';
import { EntriesField, useEntryDraft } from './entries-field.tsx';
import { ProgressBar } from './progress-bar.tsx';
import { useCampaignKeys } from './use-campaign-keys.ts';

export interface CampaignPanelProps {
  phoneId: string;
  phoneName: string;
  lines: readonly LineView[];
  user: SessionUser;
}

/** `datetime-local`'s value for a time (local), e.g. an hour from now. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function EntryCard({ title, entry }: { title: string; entry: CampaignEntry }) {
  const format = useNumberFormat();
  return (
    <div className="flex flex-col rounded-md bg-zinc-50 p-2 dark:bg-zinc-900">
      <span className="text-xs text-zinc-600 uppercase tracking-wide dark:text-zinc-400">{title}</span>
      <span className="font-medium">{entry.name ?? format(entry.number)}</span>
      {entry.name && <span className="font-mono text-sm">{format(entry.number)}</span>}
      {entry.note && <span className="text-sm text-zinc-700 dark:text-zinc-300">{entry.note}</span>}
    </div>
  );
}

/** "Call back at…": a time for the entry, then it is dialled again (even past its attempts). */
function CallBack({ campaign, entry }: { campaign: Campaign; entry: CampaignEntry }) {
  const outcome = useEntryOutcome(campaign.id);
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState('');
  const id = useId();
  const label = entry.name ?? entry.number;
  if (!open) {
    return (
      <Button
        size="sm"
        data-campaign-key="callback"
        aria-keyshortcuts="B"
        onClick={() => {
          setAt(localInput(Date.now() + 60 * 60_000));
          setOpen(true);
        }}
      >
        Call back at…
      </Button>
    );
  }
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const when = new Date(at);
        if (Number.isNaN(when.getTime())) return;
        outcome.mutate(
          { entryId: entry.id, label, body: { outcome: 'callback', callbackAt: when.toISOString() } },
          { onSuccess: () => setOpen(false) },
        );
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="font-medium text-sm">
          Call {label} back at
        </label>
        <input id={id} type="datetime-local" value={at} required onChange={(e) => setAt(e.target.value)} />
      </div>
      <Button type="submit" size="sm" variant="primary" pending={outcome.isPending}>
        Save
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </form>
  );
}

/** The remembered last entry this phone called: its outcome buttons stay once the call is over. */
function useLastEntry(campaign: Campaign, phoneId: string): CampaignEntry | undefined {
  const view = campaign.phones.find((p) => p.phoneId === phoneId);
  const [last, setLast] = useState<CampaignEntry>();
  const dialling = view?.entry?.state === 'dialling' ? view.entry : undefined;
  useEffect(() => {
    if (dialling) setLast(dialling);
  }, [dialling]);
  return last;
}

function WorkPanel({ campaign, phoneId, user }: { campaign: Campaign; phoneId: string; user: SessionUser }) {
  const view = campaign.phones.find((p) => p.phoneId === phoneId);
  const next = useCampaignNext(campaign.id);
  const control = useCampaignControl();
  const outcome = useEntryOutcome(campaign.id);
  const last = useLastEntry(campaign, phoneId);
  const now = useNow();
  const manage = canManageCampaign(user, campaign);
  const running = campaign.state === 'running';
  const current = view?.entry ?? null;
  const dialling = current?.state === 'dialling';
  const countdown = running && view?.waiting === 'wrap_up' ? secondsLeft(view.nextDialAt, now) : undefined;
  const state = STATE_TEXT[campaign.state];
  const offered = campaign.mode === 'preview' && current?.state === 'offered' ? current : null;
  // Automatic mode: Skip passes over the entry the countdown would dial.
  const skippable = offered ?? (campaign.mode === 'automatic' && !dialling ? view?.next : null) ?? null;
  // After a call the server offers the next entry at once: the outcome buttons stay with the one just called.
  const callBackEntry = (last && last.id !== current?.id ? last : null) ?? offered;
  const busy = next.isPending || outcome.isPending;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <Link
          href={campaignPath(campaign.id)}
          className="font-medium text-blue-700 underline dark:text-blue-300"
        >
          {campaign.name}
        </Link>
        <Badge tone={state.tone}>{state.label}</Badge>
      </div>
      <p className="text-sm">{MODE_TEXT[campaign.mode]}</p>
      <ProgressBar counts={campaign.counts} label={`Progress of ${campaign.name}`} />
      {current && <EntryCard title={dialling ? 'Calling' : 'Current'} entry={current} />}
      {view?.next && view.next.id !== current?.id && <EntryCard title="Next" entry={view.next} />}
      <p role="status" aria-live="polite" className="text-sm">
        {!running
          ? campaign.state === 'paused'
            ? 'Paused: nothing is dialled until it is resumed.'
            : ''
          : countdown !== undefined
            ? `Next call in ${countdown} s`
            : dialling
              ? ''
              : view?.waiting
                ? WAIT_TEXT[view.waiting]
                : ''}
      </p>
      <div className="flex flex-wrap gap-2">
        {running && offered && (
          <Button
            variant="success"
            data-campaign-key="call"
            aria-keyshortcuts="C"
            pending={next.isPending && next.variables?.action === 'dial'}
            blocked={busy}
            onClick={() => next.mutate({ phoneId, action: 'dial' })}
          >
            Call {offered.name ?? offered.number}
          </Button>
        )}
        {running && skippable && (
          <Button
            variant="ghost"
            data-campaign-key="skip"
            aria-keyshortcuts="S"
            blocked={busy}
            onClick={() =>
              offered
                ? next.mutate({ phoneId, action: 'skip' })
                : outcome.mutate({
                    entryId: skippable.id,
                    label: skippable.name ?? skippable.number,
                    body: { outcome: 'skipped' },
                  })
            }
          >
            Skip {skippable.name ?? skippable.number}
          </Button>
        )}
        {manage && (campaign.state === 'running' || campaign.state === 'paused') && (
          <Button
            variant={running ? 'primary' : 'success'}
            data-campaign-key="pause"
            aria-keyshortcuts="P"
            pending={control.isPending}
            onClick={() =>
              control.mutate({ id: campaign.id, verb: running ? 'pause' : 'resume', name: campaign.name })
            }
          >
            {running ? 'Pause' : 'Resume'}
          </Button>
        )}
      </div>
      {callBackEntry && !dialling && (
        <div className="flex flex-wrap items-end gap-2">
          <p className="basis-full text-sm">
            {callBackEntry === last ? 'Last call' : 'Current'}: {callBackEntry.name ?? callBackEntry.number}
          </p>
          <CallBack key={callBackEntry.id} campaign={campaign} entry={callBackEntry} />
          <Button
            size="sm"
            variant="ghost"
            blocked={busy}
            onClick={() =>
              outcome.mutate({
                entryId: callBackEntry.id,
                label: callBackEntry.name ?? callBackEntry.number,
                body: { outcome: 'do_not_call' },
              })
            }
          >
            Do not call again
          </Button>
        </div>
      )}
    </div>
  );
}

/**
 * The call list: a personal preview campaign on this phone, made from what is pasted and started at
 * once. LineDeck dials an entry only when Call is pressed.
 */
function CallListStarter({ phoneId, phoneName }: { phoneId: string; phoneName: string }) {
  const draft = useEntryDraft();
  const create = useCreateCampaign();
  const control = useCampaignControl();
  const [problem, setProblem] = useState<string>();
  const entries = draft.read.entries;
  const start = () => {
    setProblem(undefined);
    if (entries.length === 0) return setProblem('Paste at least one number first.');
    const name = `Call list · ${phoneName}`;
    create.mutate(
      {
        name,
        mode: 'preview',
        phoneIds: [phoneId],
        entries: entries.map(({ number, name: n, note }) => ({ number, name: n, note })),
      },
      {
        onSuccess: (result) => {
          draft.setText('');
          const refused = result.import?.refused ?? [];
          if (refused.length > 0) {
            setProblem(`Refused: ${refused.map((r) => `“${r.input}” (${r.message})`).join(', ')}`);
          }
          if ((result.import?.taken.length ?? 0) > 0) {
            control.mutate({ id: result.campaign.id, verb: 'start', name });
          }
        },
        onError: (error) => setProblem(errorText(error)),
      },
    );
  };
  return (
    <div className="flex flex-col gap-2">
      <EntriesField draft={draft} label="Calls to make, one per line" />
      {problem && (
        <p role="alert" className="text-red-700 text-sm dark:text-red-300">
          {problem}
        </p>
      )}
      <Button className="self-start" pending={create.isPending || control.isPending} onClick={start}>
        Start call list
      </Button>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        A call list is a preview campaign on this phone: each call is placed when you press Call.
      </p>
    </div>
  );
}

/** On a phone's console: the campaigns it works (running or paused), else a call list to start. */
export function CampaignPanel({ phoneId, phoneName, user }: CampaignPanelProps) {
  const campaigns = useQuery(campaignQueries.list());
  const ref = useRef<HTMLElement>(null);
  useCampaignKeys(ref);
  const active = (campaigns.data?.campaigns ?? []).filter(
    (c) => c.phoneIds.includes(phoneId) && (c.state === 'running' || c.state === 'paused'),
  );
  return (
    <section ref={ref} aria-labelledby="campaign-heading" className="flex flex-col gap-3">
      <h2 id="campaign-heading" className="font-semibold text-lg">
        {active.length > 0 ? 'Campaign' : 'Call list'}
      </h2>
      {campaigns.isError && !campaigns.data ? (
        <p role="alert" className="text-sm">
          {errorText(campaigns.error)}
        </p>
      ) : !campaigns.data ? null : active.length > 0 ? (
        active.map((c) => <WorkPanel key={c.id} campaign={c} phoneId={phoneId} user={user} />)
      ) : (
        <CallListStarter phoneId={phoneId} phoneName={phoneName} />
      )}
    </section>
  );
}
