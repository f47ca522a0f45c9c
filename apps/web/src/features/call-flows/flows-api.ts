/**
 * Transfer, conference, DND and forward as mutation hooks. Unlike the line buttons' commands, a failure
 * is not toasted: the dialog or switch that asked shows it, in words, where the person is looking (the
 * page behind a modal dialog is inert, toasts included). Never retried: a retry could transfer twice.
 */
import type {
  CommandResult,
  ConferenceBody,
  DndBody,
  FlowLineBody,
  FlowResult,
  ForwardBody,
  TransferBody,
} from '@linedeck/contract';
import { useMutation } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../lib/api-client.ts';
import { refreshPhone } from '../../lib/mutations.ts';

function phonePath(phoneId: string, action: string): string {
  return `/api/phones/${encodeURIComponent(phoneId)}/${action}`;
}

type FlowAction =
  | 'transfer'
  | 'transfer/complete'
  | 'transfer/cancel'
  | 'conference'
  | 'conference/end'
  | 'conference/drop';

/**
 * Starting or finishing a flow is one deliberate act: its own Idempotency-Key, so a second transfer
 * a moment after a failed one is sent, while the button's pending state stops a double click.
 */
function sendFlow(phoneId: string, action: FlowAction, body: unknown): Promise<FlowResult> {
  return api<FlowResult>(phonePath(phoneId, action), {
    method: 'POST',
    body,
    idempotencyKey: newIdempotencyKey(),
  });
}

export function useTransfer(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'transfer'],
    mutationFn: (body: TransferBody) => sendFlow(phoneId, 'transfer', body),
    onSettled: () => refreshPhone(phoneId),
  });
}

export function useConference(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'conference'],
    mutationFn: (body: ConferenceBody) => sendFlow(phoneId, 'conference', body),
    onSettled: () => refreshPhone(phoneId),
  });
}

/** Complete transfer, Back to caller, End conference (on the held caller's line); Drop (the party's line). */
export function useFlowStep(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'flow-step'],
    mutationFn: ({
      action,
      line,
    }: { action: Exclude<FlowAction, 'transfer' | 'conference'> } & FlowLineBody) =>
      sendFlow(phoneId, action, { line } satisfies FlowLineBody),
    onSettled: () => refreshPhone(phoneId),
  });
}

function put(phoneId: string, action: string, body: unknown): Promise<CommandResult> {
  return api<CommandResult>(phonePath(phoneId, action), { method: 'PUT', body });
}

export function useSetDnd(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'dnd'],
    mutationFn: (body: DndBody) => put(phoneId, 'dnd', body),
    onSettled: () => refreshPhone(phoneId),
  });
}

export function useSetForward(phoneId: string) {
  return useMutation({
    mutationKey: ['phones', phoneId, 'forward'],
    mutationFn: (body: ForwardBody) => put(phoneId, 'forward', body),
    onSettled: () => refreshPhone(phoneId),
  });
}
