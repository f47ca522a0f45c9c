/**
 * A call's webhook events, written with the call: every save of the journal writes, in the same
 * transaction, the deliveries of the milestones each saved call has reached, so a stored call always has
 * its deliveries (a failed write stores neither; the recorder retries both at its next flush).
 *
 * Milestones: an incoming call's `call.ringing`, then `call.answered`, `call.missed`, `call.ended`, each
 * once per call and webhook, in that order, even when one save carries several (a caller who gave up
 * within one flush). "Once" is the outbox's unique key (store/migrations/018): a save offers every
 * milestone the call has reached but those this run already wrote, and the ones written before (by an
 * earlier run) are skipped. A call a start closed as interrupted gives only `call.ended`: the run
 * before may have sent the rest. A webhook created while a call goes on gets that call's later saves'
 * milestones, the earlier ones included.
 */
import type { Call, WebhookEvent } from '@linedeck/contract';
import type { WriteWithCalls } from '../calls/calls-repository.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';
import { enqueueDeliveries } from './webhooks-repository.ts';
import type { Webhooks } from './webhooks-service.ts';

export function callMilestones(call: Call): WebhookEvent[] {
  if (call.interrupted) return call.endedAt ? ['call.ended'] : [];
  const events: WebhookEvent[] = [];
  // A call the phone turned away without ringing (DND, where the journal records it) never rang.
  const rang = !('turnedAway' in call && call.turnedAway);
  if (call.direction === 'incoming' && rang) events.push('call.ringing');
  if (call.answeredAt) events.push('call.answered');
  if (call.outcome === 'missed') events.push('call.missed');
  if (call.endedAt) events.push('call.ended');
  return events;
}

/** What the calls repository runs in each save (`writeWith`); the dispatcher is woken once it committed. */
export function callOutbox(webhooks: Webhooks, dispatcher: Pick<WebhookDispatcher, 'kick'>): WriteWithCalls {
  // What this run has written, per open call (`webhookId event`): an open call is saved again every 30 s
  // and offers every milestone it has reached; their bodies are not built again only for the unique key
  // to drop them. Forgotten when the call ends; a restart starts empty and the key does the rest.
  const offered = new Map<string, Set<string>>();
  return async (trx, calls) => {
    const rows = calls.flatMap(({ lastSeenAt: _, ...call }) => {
      const known = offered.get(call.id);
      const written = known && ((webhookId: string, event: string) => known.has(`${webhookId} ${event}`));
      return webhooks.callDeliveries(call, callMilestones(call), written);
    });
    const count = rows.length > 0 ? await enqueueDeliveries(trx, rows) : 0;
    // Run once the save committed: only then is what it offered really written.
    return () => {
      for (const row of rows) {
        const callId = row.callId as string;
        const known = offered.get(callId) ?? new Set<string>();
        offered.set(callId, known);
        known.add(`${row.webhookId} ${row.event}`);
      }
      for (const call of calls) if (call.endedAt) offered.delete(call.id);
      if (count > 0) dispatcher.kick();
    };
  };
}
