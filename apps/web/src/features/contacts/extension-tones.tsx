import { useMutation } from '@tanstack/react-query';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { sendKeys } from '../../lib/mutations.ts';

/**
 * After a call to a number with an extension (`ext. 12`, `x12`, `;ext=12`): the extension is offered as
 * tones, sent when the person says so, since only they hear when the far end's menu is ready for it.
 */
export function ExtensionTones({
  phoneId,
  extension,
  onDone,
}: {
  phoneId: string;
  extension: string;
  onDone: () => void;
}) {
  const send = useMutation({
    mutationFn: () => sendKeys(phoneId, [...extension]),
    onSuccess: onDone,
  });
  return (
    <section aria-label="Extension" className="flex flex-wrap items-center gap-2 text-sm">
      <span>Extension {extension}: send it once the far end answers.</span>
      <Button size="sm" variant="primary" pending={send.isPending} onClick={() => send.mutate()}>
        Send {extension} as tones
      </Button>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Not now
      </Button>
      {send.isError && (
        <p role="alert" className="w-full text-red-700 dark:text-red-300">
          {errorText(send.error)}
        </p>
      )}
    </section>
  );
}
