/**
 * Phone commands as mutation hooks (verbs). Each one shows its outcome in a
 * toast: success, or the phone's own error. Nothing is changed on screen before
 * the phone agrees (no optimistic updates): a failed command changes nothing;
 * on success the phone's state is refetched at once. Never retried (a retry can
 * dial twice; architecture "Error model").
 *
 * The server answers an identical command for the same phone within 1.5 s from
 * the first one (its double-click guard, docs/api.md). Commands that are meant
 * to repeat (keys, Hold and Resume, which both send `holdcall`) carry a fresh
 * `Idempotency-Key` instead, so the second 0 of "100" is sent at once. Answer,
 * Reject and End call carry the key of the call they act on (`intentKey`): a
 * double click on one call is sent once, the next caller's Answer at once. Call
 * and system operations keep the guard, and their buttons are busy while they run.
 */
import type {
  CommandResult,
  Contact,
  Diagnosis,
  MakeCallBody,
  OperationBody,
  SystemBody,
} from '@linedeck/contract';
import { useMutation } from '@tanstack/react-query';
import { api, intentKey, newIdempotencyKey } from './api-client.ts';
import { errorReference, errorText } from './error-text.ts';
import { contactQueries, phoneQueries, stateQueries } from './queries.ts';
import { queryClient } from './query-client.ts';
import { toast } from './toasts.ts';

/** A command the user means to repeat: a new key each time, never taken for a double click. */
function sendRepeatable<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, { method: 'POST', body, idempotencyKey: newIdempotencyKey() });
}

/** Operations that a second press repeats on purpose: `holdcall` toggles hold (Hold, then Resume). */
const REPEATABLE_OPERATIONS: ReadonlySet<OperationBody['command']> = new Set(['holdcall', 'unhold']);

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
  /**
   * The call this acts on (line and when it entered its state): a second press on the same call is
   * answered from the first, while the same command on a new call is sent even right after the last.
   */
  call?: string | undefined;
}

export function usePhoneOperation(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'operations'],
    mutationFn: ({ command, line, call }: OperationVariables) => {
      const path = phonePath(phoneId, 'operations');
      const body = line === undefined ? { command } : { command, line };
      if (REPEATABLE_OPERATIONS.has(command)) return sendRepeatable<CommandResult>(path, body);
      const idempotencyKey = call === undefined ? undefined : intentKey(command, `${phoneId}:${call}`);
      return api<CommandResult>(path, { method: 'POST', body, idempotencyKey });
    },
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

/**
 * Sends keys (digits as DTMF during a call, or named keys) in one request. Every call is a deliberate
 * press with its own key: "0" right after "0" is sent, not answered from the first.
 */
export function sendKeys(phoneId: string, keys: string[]): Promise<CommandResult> {
  return sendRepeatable<CommandResult>(phonePath(phoneId, 'keys'), { keys });
}

// ---------- contacts ----------

function contactsChanged(): void {
  void queryClient.invalidateQueries({ queryKey: contactQueries.all() });
}

export function useDeleteContact() {
  return useMutation({
    mutationFn: (contact: Contact) =>
      api<void>(`/api/contacts/${encodeURIComponent(contact.id)}`, { method: 'DELETE' }),
    onSuccess: (_r, contact) => {
      contactsChanged();
      toast.success(`${contact.name} removed`);
    },
    onError: failed,
  });
}
