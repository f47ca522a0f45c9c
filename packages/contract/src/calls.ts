/**
 * The call journal: every call LineDeck saw on a phone, kept by the server (apps/server/src/calls/).
 * Recorded from line transitions and trusted pushes; a call in progress has `outcome: null` and
 * `endedAt: null`. Documented for people in docs/api.md ("Call history").
 */
import { z } from 'zod';
import { callerContactSchema } from './caller.ts';

export const CALL_DIRECTIONS = ['incoming', 'outgoing'] as const;
export const callDirectionSchema = z.enum(CALL_DIRECTIONS);
export type CallDirection = z.infer<typeof callDirectionSchema>;

/**
 * How a call ended. incoming: `answered`, `missed` (rang, nobody answered), `rejected` (refused from
 * LineDeck). outgoing: `answered`, `no_answer` (the far end never answered), `cancelled` (LineDeck
 * ended it before the far end answered), `busy`, `failed` (the line showed `failed`: the phone does not
 * say why).
 */
export const CALL_OUTCOMES = [
  'answered',
  'missed',
  'rejected',
  'cancelled',
  'no_answer',
  'busy',
  'failed',
] as const;
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/** Why a phone refused a call without ringing: `dnd`, Do Not Disturb was on. */
export const CALL_TURNED_AWAY_REASONS = ['dnd'] as const;

export const callSchema = z.object({
  id: z.string(),
  phoneId: z.string(),
  line: z.number().int(),
  /** The SIP account the line used (1-based as the phone shows it), null when the phone did not say. */
  account: z.number().int().nullable(),
  direction: callDirectionSchema,
  /** Null while the call is in progress. */
  outcome: callOutcomeSchema.nullable(),
  /** The number as the phone showed it. */
  remoteNumber: z.string(),
  /** The same number in E.164 (read with DEFAULT_COUNTRY), null when it is not a phone number (an extension, a SIP URI). */
  remoteE164: z.string().nullable(),
  /** The display name the phone showed ('' when none). */
  remoteName: z.string(),
  /** The contact the number matched when the call was recorded (their name then), null when none. */
  contact: callerContactSchema.nullable(),
  /** ISO times on the server's clock. */
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Whole seconds; talk excludes hold. */
  ringSeconds: z.number().int().nonnegative(),
  talkSeconds: z.number().int().nonnegative(),
  holdSeconds: z.number().int().nonnegative(),
  /** Where LineDeck transferred the call, null when it did not. */
  transferTarget: z.string().nullable(),
  /** Who in LineDeck dialled, answered or ended it (usernames), null when it was done at the phone. */
  dialledBy: z.string().nullable(),
  answeredBy: z.string().nullable(),
  endedBy: z.string().nullable(),
  /** The call was still going when LineDeck stopped; closed at the next start with what was known then. */
  interrupted: z.boolean(),
  /** Refused by the phone without ringing (a `missed` outcome); null for a call that rang or was dialled. */
  turnedAway: z.enum(CALL_TURNED_AWAY_REASONS).nullable(),
});
export type Call = z.infer<typeof callSchema>;

export const CALLS_PAGE_MAX = 500;
export const CALLS_PAGE_DEFAULT = 50;

/** `GET /api/calls` (and `/api/calls/export.csv`) query: every filter optional, all combined with AND. */
export const callsQuerySchema = z.strictObject({
  phoneId: z.string().min(1).max(64).optional(),
  direction: callDirectionSchema.optional(),
  /** One outcome, or several separated by commas (`missed,rejected`). */
  outcome: z
    .string()
    .transform((s, ctx) => {
      const parts = s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const bad = parts.filter((p) => !(CALL_OUTCOMES as readonly string[]).includes(p));
      if (parts.length === 0 || bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `outcome must be one or more of ${CALL_OUTCOMES.join(', ')}`,
        });
        return z.NEVER;
      }
      return parts as CallOutcome[];
    })
    .optional(),
  /** Calls started at or after `from` and before `to` (ISO date-times). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Any written form of one number (`030 1234567`, `+49 30 1234567`): matched by its E.164 form, else its digits. */
  number: z.string().trim().min(1).max(64).optional(),
  /** A name (the phone's or the contact's) or part of a number. */
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(CALLS_PAGE_MAX).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type CallsQuery = z.infer<typeof callsQuerySchema>;

export const callPageSchema = z.object({ calls: z.array(callSchema), nextCursor: z.string().nullable() });
export type CallPage = z.infer<typeof callPageSchema>;

/** `GET /api/calls/missed/count`: missed calls the signed-in user has not marked seen. */
export const missedCountSchema = z.object({
  count: z.number().int().nonnegative(),
  since: z.string().nullable(),
});
export type MissedCount = z.infer<typeof missedCountSchema>;

/** `POST /api/calls/missed/seen`: every missed call started before `before` counts as seen by this user. */
export const missedSeenBodySchema = z.strictObject({ before: z.iso.datetime({ offset: true }) });
export type MissedSeenBody = z.infer<typeof missedSeenBodySchema>;

/**
 * `GET /api/calls/today`: counts since local midnight (server's time zone), no names or numbers, so a
 * wall's display key may read it. Per phone and for the whole visible fleet; `missed` and `answered`
 * count incoming calls.
 */
export const callsTodaySchema = z.object({
  since: z.string(),
  missed: z.number().int().nonnegative(),
  answered: z.number().int().nonnegative(),
  phones: z.record(
    z.string(),
    z.object({ missed: z.number().int().nonnegative(), answered: z.number().int().nonnegative() }),
  ),
});
export type CallsToday = z.infer<typeof callsTodaySchema>;
