import type { SessionUser } from '@linedeck/contract';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { callerDetail, callerLabel } from '../../lib/caller.ts';
import { usePhoneOperation } from '../../lib/mutations.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { callerText, keepCurrent, type RingingCall, ringingCalls, watchedPhoneIds } from './ringing-calls.ts';
import { type NotificationPermissionState, useCallNotifications } from './use-call-notifications.ts';

const MAX_SHOWN = 3;

/** The previous list while nothing in it changed, so effects on it run only for a real change. */
function useSameCalls(calls: RingingCall[]): RingingCall[] {
  const ref = useRef({ signature: '', calls });
  const signature = JSON.stringify(calls);
  if (ref.current.signature !== signature) ref.current = { signature, calls };
  return ref.current.calls;
}

function CallCard({
  call,
  onHide,
  permission,
  onEnableNotifications,
}: {
  call: RingingCall;
  onHide: () => void;
  permission: NotificationPermissionState;
  onEnableNotifications: () => void;
}) {
  const operation = usePhoneOperation(call.phoneId);
  const titleId = useId();
  const callerId = useId();
  const pendingDone = operation.isPending ? operation.variables?.done : undefined;
  const answer = { command: 'acceptcall', line: call.line, done: `Answered on line ${call.line}` } as const;
  const reject = {
    command: 'rejectcall',
    line: call.line,
    done: `Rejected the call on line ${call.line}`,
  } as const;
  return (
    // Not modal and never focused by itself: a call must not take the keyboard from someone typing.
    // It sits first in the tab order (before the page's header), so Tab reaches it at once.
    <div
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={callerId}
      className="pointer-events-auto flex w-[min(22rem,calc(100vw-2rem))] flex-col gap-3 rounded-xl border-2 border-blue-600 bg-white p-4 text-zinc-900 shadow-2xl dark:border-blue-400 dark:bg-zinc-900 dark:text-zinc-50"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onHide();
      }}
    >
      <div className="flex items-start gap-2">
        <h2 id={titleId} className="min-w-0 flex-1 font-semibold">
          Incoming call on {call.phoneName}
          <span className="block font-normal text-sm text-zinc-600 dark:text-zinc-400">Line {call.line}</span>
        </h2>
        <button
          type="button"
          onClick={onHide}
          aria-label="Hide this call"
          className="-m-1 rounded p-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div id={callerId} className="min-w-0">
        <p className="truncate font-semibold text-xl">{callerLabel(call)}</p>
        {callerDetail(call) && <p className="text-zinc-700 dark:text-zinc-300">{callerDetail(call)}</p>}
      </div>
      <div className="flex gap-2">
        <Button
          variant="success"
          size="lg"
          className="flex-1"
          pending={pendingDone === answer.done}
          blocked={pendingDone === reject.done}
          onClick={() => operation.mutate(answer)}
        >
          Answer
        </Button>
        <Button
          variant="danger"
          size="lg"
          className="flex-1"
          pending={pendingDone === reject.done}
          blocked={pendingDone === answer.done}
          onClick={() => operation.mutate(reject)}
        >
          Reject
        </Button>
      </div>
      {permission === 'default' && (
        <button
          type="button"
          onClick={onEnableNotifications}
          className="self-start text-blue-700 text-sm underline underline-offset-2 dark:text-blue-300"
        >
          Enable notifications for calls while this tab is in the background
        </button>
      )}
    </div>
  );
}

/**
 * The incoming-call pop-up: a ringing line on a phone the user watches (their assigned phones, or
 * the open console's) shows the caller with Answer and Reject for that line. It goes away by
 * itself when the line stops ringing (answered here, on the handset or elsewhere, or the caller
 * gave up). Viewers, who may not answer, get none.
 */
export function IncomingCall({ user, consolePhoneId }: { user: SessionUser; consolePhoneId?: string }) {
  const watched = watchedPhoneIds(user, consolePhoneId);
  const phones = useQuery({ ...phoneQueries.list(), enabled: watched.length > 0 });
  // The same queries the console and the event stream fill: no extra requests for an open console.
  const states = useQueries({ queries: watched.map((id) => phoneQueries.state(id)) });
  const calls = useSameCalls(
    ringingCalls(
      states.map((s) => s.data),
      phones.data,
    ),
  );
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const { permission, request } = useCallNotifications(calls);

  const visible = calls.filter((c) => !hidden.has(c.key));
  const shown = visible.slice(0, MAX_SHOWN);
  const hide = (key: string) => setHidden((h) => new Set([...keepCurrent(h, calls), key]));

  return (
    <>
      <p className="sr-only" aria-live="assertive">
        {visible.map((c) => `Incoming call on ${c.phoneName} from ${callerText(c)}.`).join(' ')}
      </p>
      {shown.length > 0 && (
        <section
          aria-label="Incoming calls"
          className="pointer-events-none fixed bottom-4 left-4 z-40 flex flex-col-reverse gap-3"
        >
          {shown.map((call) => (
            <CallCard
              key={call.key}
              call={call}
              onHide={() => hide(call.key)}
              permission={permission}
              onEnableNotifications={request}
            />
          ))}
          {visible.length > shown.length && (
            <p className="pointer-events-auto rounded-lg bg-zinc-900 px-3 py-1 text-sm text-white">
              {visible.length - shown.length} more ringing
            </p>
          )}
        </section>
      )}
    </>
  );
}
