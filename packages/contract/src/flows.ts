/**
 * Transfer and conference as flows the server runs on a phone, one step at a time (apps/server/src/flows/).
 * The bodies of the flow routes, and the flow's visible state: `PhoneState.flow`, pushed by SSE as each
 * step lands. Documented for people in docs/api.md ("Transfer and conference").
 */
import { z } from 'zod';

/**
 * The phone types the target on its keypad (api-send_key), which has no "+": digits, * and # only.
 * (Not index.ts's phoneNumberSchema: index.ts re-exports this file, and a cycle would leave it undefined.)
 */
const targetNumberSchema = z
  .string()
  .trim()
  .regex(
    /^[0-9*#]{1,64}$/,
    'A transfer target is typed on the phone keypad: 1 to 64 digits, * or #, without + (dial the international prefix, e.g. 00).',
  );
const lineSchema = z.number().int().min(1).max(16);
/** How long the target may ring before the flow gives up (default 30 s). */
const ringSecondsSchema = z.number().int().min(1).max(300);

export const TRANSFER_MODES = ['blind', 'attended'] as const;
export const transferModeSchema = z.enum(TRANSFER_MODES);
export type TransferMode = z.infer<typeof transferModeSchema>;

/** `POST /api/phones/:id/transfer`: hands the call on `line` to `number`. */
export const transferBodySchema = z.strictObject({
  line: lineSchema,
  number: targetNumberSchema,
  mode: transferModeSchema,
  ringSeconds: ringSecondsSchema.optional(),
});
export type TransferBody = z.infer<typeof transferBodySchema>;

/** `POST /api/phones/:id/conference`: adds `number` to the call on `line`. */
export const conferenceBodySchema = z.strictObject({
  line: lineSchema,
  number: targetNumberSchema,
  ringSeconds: ringSecondsSchema.optional(),
});
export type ConferenceBody = z.infer<typeof conferenceBodySchema>;

/**
 * `.../transfer/complete`, `.../transfer/cancel`, `.../conference/end` (`line`: the held caller's line
 * the flow started from) and `.../conference/drop` (`line`: the party to drop).
 */
export const flowLineBodySchema = z.strictObject({ line: lineSchema });
export type FlowLineBody = z.infer<typeof flowLineBodySchema>;

export const FLOW_KINDS = ['transfer', 'conference'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

/**
 * holding: the caller is being put on hold; dialing: the target's number is being sent; ringing: the
 * target rings; talking: the target answered (attended: waiting for complete or cancel); completing:
 * the phone is handing over or joining; joined: the conference is up (until ended); done, cancelled
 * (the caller is back), failed (see `reason`, `message`): finished, shown for a few seconds.
 */
export const FLOW_STAGES = [
  'holding',
  'dialing',
  'ringing',
  'talking',
  'completing',
  'joined',
  'done',
  'cancelled',
  'failed',
] as const;
export type FlowStage = (typeof FLOW_STAGES)[number];

/** The stages after which the phone may start another flow. */
export const FINISHED_FLOW_STAGES: readonly FlowStage[] = ['done', 'cancelled', 'failed'];

/**
 * no_call: no established call on that line; target_busy; no_answer (within ringSeconds); target_left
 * (hung up before the transfer completed); caller_left (the held caller hung up); refused: the phone
 * did not do what the key asks; not_confirmed: the phone's pop-up confirmation was not answered;
 * not_available: this phone's firmware cannot do it (attended transfer on blind-at-once firmware);
 * unreachable: the phone stopped answering.
 */
export const FLOW_FAILURE_REASONS = [
  'no_call',
  'target_busy',
  'no_answer',
  'target_left',
  'caller_left',
  'refused',
  'not_confirmed',
  'not_available',
  'unreachable',
] as const;
export type FlowFailureReason = (typeof FLOW_FAILURE_REASONS)[number];

export const callFlowSchema = z.object({
  id: z.string(),
  kind: z.enum(FLOW_KINDS),
  /** Transfers only; null for a conference. */
  mode: transferModeSchema.nullable(),
  /** The caller's line: held while the target is called. */
  line: z.number().int(),
  /** The target as dialled. */
  number: z.string(),
  /** The line the phone opened for the target; null until it shows one (or never, on blind-at-once firmware). */
  consultLine: z.number().int().nullable(),
  /** The lines that form the conference once joined; empty before. */
  conferenceLines: z.array(z.number().int()),
  stage: z.enum(FLOW_STAGES),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Who started it (username), null when unknown. */
  startedBy: z.string().nullable(),
  reason: z.enum(FLOW_FAILURE_REASONS).nullable(),
  /** Person-readable: why it failed, or what happened ("Back to the caller."). */
  message: z.string().nullable(),
});
export type CallFlow = z.infer<typeof callFlowSchema>;

/** What every flow route answers with 200: the flow as it stands after the request. */
export const flowResultSchema = z.object({ flow: callFlowSchema });
export type FlowResult = z.infer<typeof flowResultSchema>;
