import type { Campaign, CampaignEntry } from '@linedeck/contract';
import { useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { useEntryOutcome } from './campaigns-queries.ts';

/** `datetime-local`'s value for a time (local), e.g. an hour from now. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export /** "Call back at…": a time for the entry, then it is dialled again (even past its attempts). */
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
