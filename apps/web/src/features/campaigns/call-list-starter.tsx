import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { useCampaignControl, useCreateCampaign } from './campaigns-queries.ts';
import { EntriesField, useEntryDraft } from './entries-field.tsx';

/**
 * The call list: a personal preview campaign on this phone, made from what is pasted and started at
 * once. LineDeck dials an entry only when Call is pressed.
 */
export function CallListStarter({ phoneId, phoneName }: { phoneId: string; phoneName: string }) {
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
