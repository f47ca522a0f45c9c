/**
 * Phone commands as mutation hooks (verbs). Each one shows its outcome in a
 * toast: success, or the phone's own error. Nothing is changed on screen before
 * the phone agrees (no optimistic updates): a failed command changes nothing;
 * on success the phone's state is refetched at once. Never retried (a retry can
 * dial twice; architecture "Error model").
 */
import type { CommandResult, Diagnosis, MakeCallBody, OperationBody, SystemBody } from '@linedeck/contract';
import { useMutation } from '@tanstack/react-query';
import { api } from './api-client.ts';
import { errorReference, errorText } from './error-text.ts';
import { phoneQueries, stateQueries } from './queries.ts';
import { queryClient } from './query-client.ts';
import { toast } from './toasts.ts';

/**
 * The server answers an identical command for the same phone within 1.5 s from
 * the first one without sending it (its double-click guard, docs/api.md). Our
 * buttons cannot double-click (they are busy while running), so an identical
 * command inside that window is a new intent: Resume right after Hold (both
 * `holdcall`), or the second 0 of "100" as DTMF. Such a command waits until the
 * window has passed instead of being silently swallowed. Calls are not held back.
 */
export const SERVER_DEDUPE_MS = 1500;
const lastSent = new Map<string, number>();

/** Milliseconds to wait before `body` may go to `path` again (0: now). */
export function distinctWait(path: string, body: unknown, now = Date.now()): number {
  const at = lastSent.get(`${path} ${JSON.stringify(body)}`);
  return at === undefined ? 0 : Math.max(0, at + SERVER_DEDUPE_MS + 50 - now);
}

export function markSent(path: string, body: unknown): void {
  const now = Date.now();
  for (const [key, at] of lastSent) if (now - at > SERVER_DEDUPE_MS * 2) lastSent.delete(key);
  lastSent.set(`${path} ${JSON.stringify(body)}`, now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends a command the server must not mistake for a double click of the previous identical one. */
async function sendDistinct<T>(path: string, body: unknown): Promise<T> {
  const wait = distinctWait(path, body);
  if (wait > 0) await sleep(wait);
  markSent(path, body);
  return api<T>(path, { method: 'POST', body });
}

function phonePath(phoneId: string, action: string): string {
  return `/api/phones/${encodeURIComponent(phoneId)}/${action}`;
}

export function refreshPhone(phoneId: string): void {
  void queryClient.invalidateQueries({ queryKey: phoneQueries.detail(phoneId) });
  void queryClient.invalidateQueries({ queryKey: stateQueries.all().queryKey });
}

function failed(error: unknown): void {
  toast.error(errorText(error), errorReference(error));
}

export function useMakeCall(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'calls'],
    mutationFn: (body: MakeCallBody) =>
      api<CommandResult>(phonePath(phoneId, 'calls'), { method: 'POST', body }),
    onSuccess: (result, body) => {
      refreshPhone(phoneId);
      if (result.confirmed === false) {
        toast.info(`The phone accepted ${body.number}, but the call has not started yet.`);
      } else {
        toast.success(`Calling ${body.number}`);
      }
    },
    onError: failed,
  });
}

export interface OperationVariables extends OperationBody {
  /** What the toast says when the phone agrees, e.g. "Line 1 answered". */
  done: string;
}

export function usePhoneOperation(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'operations'],
    mutationFn: ({ command, line }: OperationVariables) =>
      sendDistinct<CommandResult>(
        phonePath(phoneId, 'operations'),
        line === undefined ? { command } : { command, line },
      ),
    onSuccess: (_result, variables) => {
      refreshPhone(phoneId);
      toast.success(variables.done);
    },
    onError: failed,
  });
}

export function useSystemOperation(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'system'],
    mutationFn: (body: SystemBody) =>
      api<CommandResult>(phonePath(phoneId, 'system'), { method: 'POST', body }),
    onSuccess: (_result, body) => {
      refreshPhone(phoneId);
      toast.success(
        body.request === 'REBOOT'
          ? 'The phone is rebooting. It will be offline for a moment.'
          : 'The phone is resetting to factory defaults.',
      );
    },
    onError: failed,
  });
}

/** `POST /api/phones/:id/test`: checks the phone now; also resumes polling a phone stopped by a wrong passcode. */
export function useTestPhone(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'test'],
    mutationFn: () => api<Diagnosis>(phonePath(phoneId, 'test'), { method: 'POST' }),
    onSuccess: (diagnosis) => {
      refreshPhone(phoneId);
      if (diagnosis.ok) toast.success('The phone answers and accepts LineDeck.');
      else toast.info('The phone needs attention: see the checks.');
    },
    onError: failed,
  });
}

/** Sends keys (digits as DTMF during a call, or named keys) in one request; call `keysWait` first. */
export function sendKeys(phoneId: string, keys: string[]): Promise<CommandResult> {
  return sendDistinct<CommandResult>(phonePath(phoneId, 'keys'), { keys });
}

/** How long these keys must wait not to be taken for a repeat of the same keys (see `distinctWait`). */
export function keysWait(phoneId: string, keys: string[]): number {
  return distinctWait(phonePath(phoneId, 'keys'), { keys });
}
