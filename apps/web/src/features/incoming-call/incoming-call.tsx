import type { CommandResult, SessionUser } from '@linedeck/contract';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { api, intentKey, isApiError } from '../../lib/api-client.ts';
import { callerDetail, callerLabel } from '../../lib/caller.ts';
import { errorReference, errorText } from '../../lib/error-text.ts';
import { refreshPhone, usePhoneOperation } from '../../lib/mutations.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { toast } from '../../lib/toasts.ts';
import {
  callerText,
  keepCurrent,
  popupCalls,
  type RingingCall,
  ringingCalls,
  ringingTitle,
  watchedPhoneIds,
} from './ringing-calls.ts';
import { type CallAction, useCallNotifications } from './use-call-notifications.ts';
import { useRingingTab } from './use-ringing-tab.ts';

const MAX_SHOWN = 3;
const RINGING_LIST_REFRESH_MS = 3000;
const GONE: ReadonlySet<string> = new Set(['not_found', 'forbidden']);

/** The previous list while nothing in it changed, so effects on it run only for a real change. */
function useSameCalls(calls: RingingCall[]): RingingCall[] {
  const ref = useRef({ signature: '', calls });
  const signature = JSON.stringify(calls);
  if (ref.current.signature !== signature) ref.current = { signature, calls };
  return ref.current.calls;
}

function commandFor(call: RingingCall, action: CallAction) {
  return action === 'answer'
    ? ({
        command: 'acceptcall',
        line: call.line,
        done: `Answered on line ${call.line}`,
        call: call.key,
      } as const)
    : ({
        command: 'rejectcall',
        line: call.line,
        done: `Rejected the call on line ${call.line}`,
        call: call.key,
      } as const);
}

/** Answer or Reject from a notification's button, for whichever phone the call is on. */
function useNotificationCommand() {
  return useMutation({
    mutationFn: ({ call, action }: { call: RingingCall; action: CallAction }) => {
      const { command, line } = commandFor(call, action);
      return api<CommandResult>(`/api/phones/${encodeURIComponent(call.phoneId)}/operations`, {
        method: 'POST',
        body: { command, line },
        idempotencyKey: intentKey(command, `${call.phoneId}:${call.key}`),
      });
    },
    onSuccess: (_result, { call, action }) => {
      refreshPhone(call.phoneId);
      toast.success(commandFor(call, action).done);
    },
    onError: (error) => toast.error(errorText(error), errorReference(error)),
  });
}

function CallCard({ call, onHide }: { call: RingingCall; onHide: () => void }) {
  const operation = usePhoneOperation(call.phoneId);
  const titleId = useId();
  const callerId = useId();
  const pendingDone = operation.isPending ? operation.variables?.done : undefined;
  const answer = commandFor(call, 'answer');
  const reject = commandFor(call, 'reject');
  return (
    // Not modal and never focused by itself: a call must not take the keyboard from someone typing.
    // In the page's flow, above the header: it pushes the page down instead of covering its controls.
    <div
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={callerId}
      className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onHide();
      }}
    >
      <h2 id={titleId} className="font-semibold text-sm">
        Incoming call on {call.phoneName}
        <span className="block font-normal text-zinc-600 dark:text-zinc-400">Line {call.line}</span>
      </h2>
      <div id={callerId} className="min-w-0 flex-1">
        <p className="truncate font-semibold text-lg">{callerLabel(call)}</p>
        {callerDetail(call) && (
          <p className="truncate text-sm text-zinc-700 dark:text-zinc-300">{callerDetail(call)}</p>
        )}
      </div>
      <div className="flex items-center gap-2">
        <Button
          variant="success"
          className="min-h-11 min-w-24"
          pending={pendingDone === answer.done}
          blocked={pendingDone === reject.done}
          onClick={() => operation.mutate(answer)}
        >
          Answer
        </Button>
        <Button
          variant="danger"
          className="min-h-11 min-w-24"
          pending={pendingDone === reject.done}
          blocked={pendingDone === answer.done}
          onClick={() => operation.mutate(reject)}
        >
          Reject
        </Button>
        <button
          type="button"
          onClick={onHide}
          aria-label="Hide this call"
          className="inline-flex size-11 items-center justify-center rounded-lg text-zinc-600 hover:bg-blue-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
    </div>
  );
}

/**
 * The incoming-call pop-up: a ringing line on a phone the user watches (their assigned phones, or
 * the open console's) shows the caller with Answer and Reject for that line, except on the console
 * of that very phone, whose line already shows them. It goes away by itself when the line stops
 * ringing (answered here, on the handset or elsewhere, or the caller gave up) and when its phone
 * goes (removed, offline, refused). The tab's title and favicon say a call rings; a hidden tab gets
 * a notification. Viewers, who may not answer, get none of it.
 */
export function IncomingCall({ user, consolePhoneId }: { user: SessionUser; consolePhoneId?: string }) {
  const watched = watchedPhoneIds(user, consolePhoneId);
  // The same queries the console and the event stream fill: no extra requests for an open console.
  const states = useQueries({ queries: watched.map((id) => phoneQueries.state(id)) });
  const list = phoneQueries.list();
  // The event stream says nothing when a phone is removed: while a call rings, the phone list is
  // read more often, so a pop-up does not offer Answer for a phone that is gone.
  const anyRinging = states.some((s) => s.data?.lines.some((l) => l.state === 'ringing'));
  const phones = useQuery({
    ...list,
    enabled: watched.length > 0,
    refetchInterval: anyRinging ? RINGING_LIST_REFRESH_MS : list.refetchInterval,
  });
  const calls = useSameCalls(
    ringingCalls(
      // A phone the server no longer knows (or shows this user) keeps its last state in the cache:
      // it rings no more.
      states.map((s) => (isApiError(s.error) && GONE.has(s.error.code) ? undefined : s.data)),
      phones.data,
    ),
  );
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const fromNotification = useNotificationCommand();
  const { permission, request } = useCallNotifications(calls, (call, action) =>
    fromNotification.mutate({ call, action }),
  );
  useRingingTab(ringingTitle(calls));

  const visible = popupCalls(calls, consolePhoneId).filter((c) => !hidden.has(c.key));
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
          className="divide-y divide-blue-200 border-blue-600 border-b-2 bg-blue-50 text-zinc-900 dark:divide-blue-900 dark:border-blue-400 dark:bg-blue-950 dark:text-zinc-50"
        >
          {shown.map((call) => (
            <CallCard key={call.key} call={call} onHide={() => hide(call.key)} />
          ))}
          {(visible.length > shown.length || permission === 'default') && (
            <div className="flex flex-wrap items-center gap-x-4 px-4 text-sm">
              {visible.length > shown.length && <p>{visible.length - shown.length} more ringing</p>}
              {permission === 'default' && (
                <button
                  type="button"
                  onClick={request}
                  className="min-h-11 text-blue-800 underline underline-offset-2 dark:text-blue-200"
                >
                  Enable notifications for calls while this tab is in the background
                </button>
              )}
            </div>
          )}
        </section>
      )}
    </>
  );
}
