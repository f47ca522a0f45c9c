import type { SessionUser } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { canAdminister } from '../../lib/permissions.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { CampaignControls } from './campaign-controls.tsx';
import { CampaignDetail } from './campaign-detail.tsx';
import { CampaignForm } from './campaign-form.tsx';
import { campaignPath } from './campaign-paths.ts';
import { canManageCampaign } from './campaign-permissions.ts';
import { MODE_TEXT, STATE_TEXT } from './campaign-text.ts';
import { campaignQueries } from './campaigns-queries.ts';
import { DoNotCall } from './do-not-call.tsx';
import { ProgressBar } from './progress-bar.tsx';

function CampaignList({ user }: { user: SessionUser }) {
  const campaigns = useQuery(campaignQueries.list());
  const phones = useQuery(phoneQueries.list());
  const [creating, setCreating] = useState(false);
  const admin = canAdminister(user);
  const phoneName = (id: string) => phones.data?.find((p) => p.id === id)?.name ?? 'Removed phone';

  useEffect(() => {
    document.title = 'Campaigns · LineDeck';
  }, []);

  const list = campaigns.data?.campaigns ?? [];
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-semibold text-2xl">Campaigns</h1>
        {admin && !creating && (
          <Button variant="primary" className="ml-auto" onClick={() => setCreating(true)}>
            New campaign
          </Button>
        )}
      </div>
      {creating && (
        <section
          aria-labelledby="new-campaign-heading"
          className="flex flex-col gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800"
        >
          <h2 id="new-campaign-heading" className="font-semibold text-lg">
            New campaign
          </h2>
          <CampaignForm
            onDone={(id) => {
              setCreating(false);
              if (id) navigate(campaignPath(id));
            }}
          />
        </section>
      )}
      {campaigns.isError && !campaigns.data ? (
        <div role="alert" className="flex flex-wrap items-center gap-3">
          <p>{errorText(campaigns.error)}</p>
          <Button onClick={() => void campaigns.refetch()}>Try again</Button>
        </div>
      ) : !campaigns.data ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading campaigns…</p>
      ) : list.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          No campaigns yet.{' '}
          {admin
            ? 'New campaign makes one.'
            : 'An admin makes them; your own call list is on your phone’s console.'}
        </p>
      ) : (
        <ul aria-label="Campaigns" className="flex flex-col gap-3">
          {list.map((c) => {
            const state = STATE_TEXT[c.state];
            return (
              <li
                key={c.id}
                aria-label={c.name}
                className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800"
              >
                <div className="flex flex-wrap items-center gap-3">
                  <Link
                    href={campaignPath(c.id)}
                    className="font-semibold text-blue-700 underline dark:text-blue-300"
                  >
                    {c.name}
                  </Link>
                  <Badge tone={state.tone}>{state.label}</Badge>
                  <span className="text-sm text-zinc-600 dark:text-zinc-400">
                    {MODE_TEXT[c.mode]} · {c.phoneIds.map(phoneName).join(', ')}
                  </span>
                  {canManageCampaign(user, c) && (
                    <div className="ml-auto">
                      <CampaignControls campaign={c} size="sm" />
                    </div>
                  )}
                </div>
                <ProgressBar counts={c.counts} label={`Progress of ${c.name}`} />
              </li>
            );
          })}
        </ul>
      )}
      {admin && <DoNotCall />}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The telemarketing rules of your country (calling hours, consent, do-not-call registers, caller ID) are
        yours to follow: LineDeck enforces only the rules you set here.
      </p>
    </div>
  );
}

/** `/campaigns` (the list, creation, the do-not-call list) and `/campaigns/:id` (one campaign). */
export function CampaignsPage({ user, campaignId }: { user: SessionUser; campaignId?: string | undefined }) {
  return campaignId ? (
    <CampaignDetail key={campaignId} campaignId={campaignId} user={user} />
  ) : (
    <CampaignList user={user} />
  );
}
