import type { Campaign, CampaignEntry, SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { Link } from '../../lib/router.tsx';
import { useNow } from '../../lib/time.ts';
import { useNumberFormat } from '../contacts/number-settings.ts';
import { CallBack } from './call-back.tsx';
import { CallListStarter } from './call-list-starter.tsx';
import { campaignPath } from './campaign-paths.ts';
import { canManageCampaign } from './campaign-permissions.ts';
import { MODE_TEXT, STATE_TEXT, WAIT_TEXT } from './campaign-text.ts';
import {
  campaignQueries,
  useCampaignControl,
  useCampaignNext,
  useEntryOutcome,
} from './campaigns-queries.ts';
import { secondsLeft } from './countdown.ts';
import { ProgressBar } from './progress-bar.tsx';
import { useCampaignKeys } from './use-campaign-keys.ts';

export interface CampaignPanelProps {
  phoneId: string;
  phoneName: string;
  user: SessionUser;
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
