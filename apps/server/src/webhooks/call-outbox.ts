/**
 * A call's webhook events, written with the call: every save of the journal writes, in the same
 * transaction, the deliveries of the milestones each saved call has reached, so a stored call always has
 * its deliveries (a failed write stores neither; the recorder retries both at its next flush).
 *
 * Milestones: an incoming call's `call.ringing`, then `call.answered`, `call.missed`, `call.ended`, each
 * once per call and webhook, in that order, even when one save carries several (a caller who gave up
 * within one flush). "Once" is the outbox's unique key (store/migrations/018): a save offers every
 * milestone the call has reached and the ones written before (by this run or an earlier one) are
 * skipped. A call a start closed as interrupted gives only `call.ended`: the run before may have sent the
 * rest. A webhook created while a call goes on gets that call's later saves' milestones, the earlier
 * ones included.
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
  return async (trx, calls) => {
    const rows = calls.flatMap(({ lastSeenAt: _, ...call }) =>
      webhooks.callDeliveries(call, callMilestones(call)),
    );
    const written = rows.length > 0 ? await enqueueDeliveries(trx, rows) : 0;
    return () => {
      if (written > 0) dispatcher.kick();
    };
  };
}
