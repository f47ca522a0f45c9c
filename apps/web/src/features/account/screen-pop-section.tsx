/** The Account page's screen pop: the address template and whether it opens on ringing or on answer. */
import type { ScreenPopSettings } from '@linedeck/contract';
import { screenPopProblem } from '@linedeck/contract/screen-pop-template';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { errorText } from '../../lib/error-text.ts';
import { queryClient } from '../../lib/query-client.ts';
import { toast } from '../../lib/toasts.ts';
import { saveScreenPop, screenPopQuery } from './screen-pop-api.ts';

const PANEL =
  'flex flex-col gap-4 rounded-2xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900';

export function ScreenPopSection() {
  const settings = useQuery(screenPopQuery);
  const [template, setTemplate] = useState('');
  const [openOn, setOpenOn] = useState<ScreenPopSettings['openOn']>('ringing');
  useEffect(() => {
    if (!settings.data) return;
    setTemplate(settings.data.template ?? '');
    setOpenOn(settings.data.openOn);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: saveScreenPop,
    onSuccess: (saved) => {
      queryClient.setQueryData(screenPopQuery.queryKey, saved);
      toast.success(saved.template ? 'Screen pop saved.' : 'Screen pop is off.');
    },
  });
  const problem = template.trim() === '' ? undefined : screenPopProblem(template.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!problem) save.mutate({ template: template.trim() || null, openOn });
  };

  return (
    <section aria-labelledby="screen-pop-heading" className={PANEL}>
      <h2 id="screen-pop-heading" className="font-semibold text-lg">
        Screen pop
      </h2>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <Field
          label="Address to open for a call"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          placeholder="https://crm.example/search?phone={number}&name={name}"
          error={problem}
          hint="{number}, {name}, {company} and {phone} (the phone's name) are filled in, URL-encoded. Empty: off. Allow pop-ups for LineDeck in the browser."
        />
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="font-medium">Open it</legend>
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="open-on"
              checked={openOn === 'ringing'}
              onChange={() => setOpenOn('ringing')}
            />
            when a call rings
          </label>
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="open-on"
              checked={openOn === 'answered'}
              onChange={() => setOpenOn('answered')}
            />
            when I answer
          </label>
        </fieldset>
        {save.isError && <p role="alert">{errorText(save.error)}</p>}
        <div>
          <Button type="submit" variant="primary" pending={save.isPending} disabled={Boolean(problem)}>
            Save screen pop
          </Button>
        </div>
      </form>
    </section>
  );
}
