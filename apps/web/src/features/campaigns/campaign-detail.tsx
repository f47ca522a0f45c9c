import type { Campaign, CampaignImportResult, SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { consolePath, Link, navigate } from '../../lib/router.tsx';
import { CampaignControls } from './campaign-controls.tsx';
import { ImportOutcome } from './campaign-form.tsx';
import { campaignPath } from './campaign-paths.ts';
import { canManageCampaign } from './campaign-permissions.ts';
import { CampaignResults } from './campaign-results.tsx';
import { MODE_TEXT, STATE_TEXT, WAIT_TEXT } from './campaign-text.ts';
import { campaignQueries, useAddEntries, useDeleteCampaign } from './campaigns-queries.ts';
import { EntriesField, useEntryDraft } from './entries-field.tsx';
import { ProgressBar } from './progress-bar.tsx';

function rulesText(c: Campaign): string {
  const hours = c.callingHours
    ? `, calls ${c.callingHours.from}–${c.callingHours.to} (${c.callingHours.timeZone})`
    : '';
  return `Wrap-up ${c.wrapUpSeconds} s, ring timeout ${c.ringTimeoutSeconds} s, ${c.maxAttempts} attempts, retry after ${c.retryAfterMinutes} min${hours}`;
}

function AddEntries({ campaign }: { campaign: Campaign }) {
  const draft = useEntryDraft();
  const add = useAddEntries(campaign.id);
  const [outcome, setOutcome] = useState<{ result: CampaignImportResult; lines: number[] }>();
  const [problem, setProblem] = useState<string>();
  const entries = draft.read.entries;
  return (
    <section aria-labelledby="add-entries-heading" className="flex flex-col gap-2">
      <h2 id="add-entries-heading" className="font-semibold text-lg">
        Add entries
      </h2>
      <EntriesField draft={draft} />
      {problem && (
        <p role="alert" className="text-red-700 text-sm dark:text-red-300">
          {problem}
        </p>
      )}
      {outcome && <ImportOutcome result={outcome.result} lines={outcome.lines} />}
      <Button
        className="self-start"
        pending={add.isPending}
        onClick={() => {
          setProblem(undefined);
          if (entries.length === 0) return setProblem('Paste or choose at least one number first.');
          add.mutate(
            { entries: entries.map(({ number, name, note }) => ({ number, name, note })) },
            {
              onSuccess: (result) => {
                setOutcome({ result, lines: entries.map((e) => e.line) });
                draft.setText('');
              },
              onError: (error) => setProblem(errorText(error)),
            },
          );
        }}
      >
        Add {entries.length} {entries.length === 1 ? 'entry' : 'entries'}
      </Button>
    </section>
  );
}

/** One campaign: its state and controls, live progress, each phone's work, entries to add, results. */
export function CampaignDetail({ campaignId, user }: { campaignId: string; user: SessionUser }) {
  const campaign = useQuery(campaignQueries.detail(campaignId));
  const phones = useQuery(phoneQueries.list());
  const remove = useDeleteCampaign();
  const c = campaign.data;

  useEffect(() => {
    document.title = `${c?.name ?? 'Campaign'} · LineDeck`;
  }, [c?.name]);

  if (!c) {
    return campaign.isError ? (
      <div role="alert" className="flex flex-col gap-2">
        <p>{errorText(campaign.error)}</p>
        <Link href={campaignPath()} className="text-blue-700 underline dark:text-blue-300">
          All campaigns
        </Link>
      </div>
    ) : (
      <p className="text-zinc-600 dark:text-zinc-400">Loading campaign…</p>
    );
  }
  const phoneName = (id: string) => phones.data?.find((p) => p.id === id)?.name ?? 'Removed phone';
  const manage = canManageCampaign(user, c);
  const state = STATE_TEXT[c.state];

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link
          href={campaignPath()}
          className="text-blue-700 underline-offset-2 hover:underline dark:text-blue-300"
        >
          <span aria-hidden="true">← </span>All campaigns
        </Link>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-semibold text-2xl">{c.name}</h1>
        <Badge tone={state.tone}>{state.label}</Badge>
        {manage && <CampaignControls campaign={c} />}
        {manage && (c.state === 'draft' || c.state === 'finished') && (
          <Button
            variant="ghost"
            className="ml-auto"
            pending={remove.isPending}
            onClick={() =>
              remove.mutate({ id: c.id, name: c.name }, { onSuccess: () => navigate(campaignPath()) })
            }
          >
            Delete
          </Button>
        )}
      </div>
      {c.pausedBy === 'restart' && c.state === 'paused' && (
        <p
          role="status"
          className="rounded-md bg-amber-50 p-3 text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          The server restarted while this campaign ran: it is paused and dials nothing until someone resumes
          it.
        </p>
      )}
      <div className="flex flex-col gap-1 text-sm">
        <p>{MODE_TEXT[c.mode]}</p>
        <p className="text-zinc-600 dark:text-zinc-400">{rulesText(c)}</p>
      </div>
      <ProgressBar counts={c.counts} label={`Progress of ${c.name}`} />

      <section aria-labelledby="phones-heading" className="flex flex-col gap-2">
        <h2 id="phones-heading" className="font-semibold text-lg">
          Phones
        </h2>
        <ul className="flex flex-col gap-1 text-sm">
          {c.phones.map((p) => (
            <li key={p.phoneId} className="flex flex-wrap gap-x-2">
              <Link
                href={consolePath(p.phoneId)}
                className="font-medium text-blue-700 underline dark:text-blue-300"
              >
                {phoneName(p.phoneId)}
              </Link>
              <span>
                {p.entry
                  ? `${p.entry.state === 'dialling' ? 'Calling' : 'Offered'}: ${p.entry.name ?? p.entry.number}`
                  : c.state === 'running' && p.waiting
                    ? WAIT_TEXT[p.waiting]
                    : ''}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {manage && c.state !== 'finished' && <AddEntries campaign={c} />}
      <CampaignResults campaignId={c.id} phoneName={phoneName} />
    </div>
  );
}
