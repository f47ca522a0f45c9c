/**
 * Campaigns: dial lists the server runs (apps/server/src/campaigns/). A campaign has entries, the
 * phones that work it, a mode (`preview`: the agent presses Call or Skip; `automatic`: the next entry
 * is dialled once the phone has been idle for the wrap-up time), rules and a state. Each entry is
 * given to one phone at a time. Documented for people in docs/api.md ("Campaigns").
 */
import { z } from 'zod';

export const CAMPAIGN_MODES = ['preview', 'automatic'] as const;
export const campaignModeSchema = z.enum(CAMPAIGN_MODES);
export type CampaignMode = z.infer<typeof campaignModeSchema>;

/** `draft` until started; `finished` when every entry is done or a person stopped it. */
export const CAMPAIGN_STATES = ['draft', 'running', 'paused', 'finished'] as const;
export const campaignStateSchema = z.enum(CAMPAIGN_STATES);
export type CampaignState = z.infer<typeof campaignStateSchema>;

/**
 * An entry's place in the work: `pending` (waiting for its turn, a retry or a callback time),
 * `offered` (preview: shown to one phone's agent, reserved for that phone), `dialling` (a call of
 * this entry is on a phone now), `done` (it has its final outcome).
 */
export const CAMPAIGN_ENTRY_STATES = ['pending', 'offered', 'dialling', 'done'] as const;
export const campaignEntryStateSchema = z.enum(CAMPAIGN_ENTRY_STATES);
export type CampaignEntryState = z.infer<typeof campaignEntryStateSchema>;

/**
 * The outcome of an entry's last attempt. From the call journal: `answered` (with talk seconds),
 * `no_answer` (no connect within the ring timeout; the server then ended the call), `busy`, `failed`,
 * `cancelled` (the agent ended it before the far end answered). Set without a call: `skipped` (the
 * agent skipped it), `invalid` (not a number the phone can dial, or marked so by the agent),
 * `do_not_call` (on the do-not-call list at import or at dial time, or marked so by the agent).
 * `no_answer` and `busy` are retried after `retryAfterMinutes` up to `maxAttempts`.
 */
export const CAMPAIGN_ENTRY_OUTCOMES = [
  'answered',
  'no_answer',
  'busy',
  'failed',
  'cancelled',
  'skipped',
  'invalid',
  'do_not_call',
] as const;
export const campaignEntryOutcomeSchema = z.enum(CAMPAIGN_ENTRY_OUTCOMES);
export type CampaignEntryOutcome = z.infer<typeof campaignEntryOutcomeSchema>;

/** The most entries one campaign (and one import) holds. */
export const CAMPAIGN_MAX_ENTRIES = 5000;
export const CAMPAIGN_MAX_PHONES = 50;

const clockTime = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'A time of day is HH:MM, 00:00 to 23:59.');

const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Unknown time zone: use an IANA name such as Europe/Berlin.' },
  );

/**
 * When dialling is allowed, in `timeZone`: from `from` (inclusive) to `to` (exclusive); `from` later
 * than `to` spans midnight. `days`: ISO weekdays (1 = Monday ... 7 = Sunday), default every day.
 */
export const callingHoursSchema = z.strictObject({
  from: clockTime,
  to: clockTime,
  timeZone: timeZoneSchema,
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
});
export type CallingHours = z.infer<typeof callingHoursSchema>;

/** One entry as given: `number` in any written form (read like a contact's number). */
export const campaignEntryInputSchema = z.strictObject({
  number: z.string().trim().min(1).max(200),
  name: z.string().trim().max(120).optional(),
  note: z.string().trim().max(1000).optional(),
});
export type CampaignEntryInput = z.infer<typeof campaignEntryInputSchema>;

/** The rules; defaults: wrap-up 5 s, ring timeout 30 s, 2 attempts, retry after 30 min, no calling hours. */
const rulesShape = {
  wrapUpSeconds: z.number().min(0).max(3600).optional(),
  ringTimeoutSeconds: z.number().min(1).max(600).optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  /** Fractions are fine (0.5 = 30 s); 0 retries at once. */
  retryAfterMinutes: z
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .optional(),
  callingHours: callingHoursSchema.nullable().optional(),
};

/**
 * `POST /api/campaigns`. Admins create any campaign; an operator may create a personal one: `preview`
 * mode on exactly one of their own phones (what the console's call list is), which they then manage.
 * Entries given here are checked like an import; refused ones are answered in `import`.
 */
export const createCampaignBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  mode: campaignModeSchema,
  phoneIds: z.array(z.string().min(1).max(64)).min(1).max(CAMPAIGN_MAX_PHONES),
  entries: z.array(campaignEntryInputSchema).max(CAMPAIGN_MAX_ENTRIES).optional(),
  ...rulesShape,
});
export type CreateCampaignBody = z.infer<typeof createCampaignBodySchema>;

/** `PATCH /api/campaigns/:id`: name, phones, mode and rules; not while it is running. */
export const updateCampaignBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  mode: campaignModeSchema.optional(),
  phoneIds: z.array(z.string().min(1).max(64)).min(1).max(CAMPAIGN_MAX_PHONES).optional(),
  ...rulesShape,
});
export type UpdateCampaignBody = z.infer<typeof updateCampaignBodySchema>;

export const campaignEntrySchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  /** 1-based order in the list. */
  position: z.number().int(),
  /** As dialled (digits, a leading +, * and #). */
  number: z.string(),
  e164: z.string().nullable(),
  name: z.string().nullable(),
  note: z.string().nullable(),
  state: campaignEntryStateSchema,
  /** Calls placed for this entry so far. */
  attempts: z.number().int().nonnegative(),
  /** Not dialled before this time (a retry or a callback); null = as soon as its turn comes. */
  nextAttemptAt: z.string().nullable(),
  /** When the agent asked for a call back (also in `nextAttemptAt`). */
  callbackAt: z.string().nullable(),
  /** The phone it is offered to or dialled on now, else the phone of its last attempt. */
  phoneId: z.string().nullable(),
  /** The last attempt's outcome; null before the first one ends. */
  outcome: campaignEntryOutcomeSchema.nullable(),
  talkSeconds: z.number().int().nonnegative(),
  /** The journal's call of the last attempt (`GET /api/calls`), null when none. */
  callId: z.string().nullable(),
  updatedAt: z.string(),
});
export type CampaignEntry = z.infer<typeof campaignEntrySchema>;

/**
 * Why a phone of a running campaign is not dialling right now. `preview`: waiting for the agent's
 * press; `wrap_up`: the countdown to the next automatic dial is running (`nextDialAt`); `retry_later`:
 * entries remain but none is due yet.
 */
export const CAMPAIGN_WAIT_REASONS = [
  'preview',
  'wrap_up',
  'ringing',
  'in_call',
  'dnd',
  'offline',
  'unauthorized',
  'outside_hours',
  'retry_later',
  'no_entries',
  'not_running',
] as const;
export const campaignWaitReasonSchema = z.enum(CAMPAIGN_WAIT_REASONS);
export type CampaignWaitReason = z.infer<typeof campaignWaitReasonSchema>;

/** One phone's place in a campaign: what it works on, what comes next, and when. */
export const campaignPhoneViewSchema = z.object({
  phoneId: z.string(),
  /** Offered (preview) or being dialled; null when none. */
  entry: campaignEntrySchema.nullable(),
  /** The entry that would be taken next (not reserved: another phone may take it). */
  next: campaignEntrySchema.nullable(),
  /** Automatic mode: when the next dial happens (wrap-up countdown); null when none is scheduled. */
  nextDialAt: z.string().nullable(),
  /** Null while dialling. */
  waiting: campaignWaitReasonSchema.nullable(),
});
export type CampaignPhoneView = z.infer<typeof campaignPhoneViewSchema>;

export const campaignCountsSchema = z.object({
  total: z.number().int().nonnegative(),
  /** Pending or offered: still to be dialled (includes retries and callbacks). */
  remaining: z.number().int().nonnegative(),
  dialling: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  /** Entries per last outcome (done or waiting for a retry); every outcome is present. */
  outcomes: z.record(campaignEntryOutcomeSchema, z.number().int().nonnegative()),
});
export type CampaignCounts = z.infer<typeof campaignCountsSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: campaignModeSchema,
  state: campaignStateSchema,
  phoneIds: z.array(z.string()),
  wrapUpSeconds: z.number(),
  ringTimeoutSeconds: z.number(),
  maxAttempts: z.number().int(),
  retryAfterMinutes: z.number(),
  callingHours: callingHoursSchema.nullable(),
  /** `restart` when the server paused it on start-up (it was running); `person` when someone did. */
  pausedBy: z.enum(['person', 'restart']).nullable(),
  /** Who created it (username); an operator's campaign is their personal preview list. */
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  counts: campaignCountsSchema,
  /** done / total, 0..1 (0 for an empty campaign). */
  progress: z.number().min(0).max(1),
  /** One per phone of the campaign, in `phoneIds` order. */
  phones: z.array(campaignPhoneViewSchema),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignListSchema = z.object({ campaigns: z.array(campaignSchema) });
export type CampaignList = z.infer<typeof campaignListSchema>;

/** `GET /api/campaigns/:id/entries?state=&outcome=&limit=&offset=`. */
export const campaignEntriesQuerySchema = z.strictObject({
  state: campaignEntryStateSchema.optional(),
  outcome: campaignEntryOutcomeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(CAMPAIGN_MAX_ENTRIES).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
export const campaignEntryPageSchema = z.object({
  entries: z.array(campaignEntrySchema),
  total: z.number().int().nonnegative(),
});
export type CampaignEntryPage = z.infer<typeof campaignEntryPageSchema>;

/**
 * `POST /api/campaigns/:id/entries`: pasted `text` (one entry a line: the number, then optionally a
 * name and a note, separated by a tab, `;` or `,`), `csv` text with a header naming a `number` (or
 * `phone`) column and optionally `name` and `note`, or mapped `entries`. `dryRun` answers without
 * adding anything (the web's preview of what will be refused).
 */
const importText = z
  .string()
  .min(1)
  .max(1024 * 1024);
export const importCampaignEntriesBodySchema = z.union([
  z.strictObject({ text: importText, dryRun: z.boolean().optional() }),
  z.strictObject({ csv: importText, dryRun: z.boolean().optional() }),
  z.strictObject({
    entries: z.array(campaignEntryInputSchema).min(1).max(CAMPAIGN_MAX_ENTRIES),
    dryRun: z.boolean().optional(),
  }),
]);
export type ImportCampaignEntriesBody = z.infer<typeof importCampaignEntriesBodySchema>;

/** Why an entry was not taken: not a number, on the do-not-call list, already in the campaign, or too many. */
export const CAMPAIGN_REFUSAL_REASONS = ['invalid', 'do_not_call', 'duplicate', 'too_many'] as const;
export const campaignRefusalReasonSchema = z.enum(CAMPAIGN_REFUSAL_REASONS);
export type CampaignRefusalReason = z.infer<typeof campaignRefusalReasonSchema>;

export const campaignImportResultSchema = z.object({
  dryRun: z.boolean(),
  /** Entries taken, in order (`row`: 1-based line of the text or CSV, the header being row 1; index+1 for `entries`). */
  taken: z.array(z.object({ row: z.number().int(), number: z.string(), name: z.string().nullable() })),
  refused: z.array(
    z.object({
      row: z.number().int(),
      /** What was given, as given. */
      input: z.string(),
      reason: campaignRefusalReasonSchema,
      message: z.string(),
    }),
  ),
});
export type CampaignImportResult = z.infer<typeof campaignImportResultSchema>;

/** `POST /api/campaigns` answers the campaign and, when entries were given, what was taken of them. */
export const createCampaignResultSchema = z.object({
  campaign: campaignSchema,
  import: campaignImportResultSchema.nullable(),
});
export type CreateCampaignResult = z.infer<typeof createCampaignResultSchema>;

/** `POST /api/campaigns/:id/next` (preview): dial the phone's offered entry, or skip it and offer the next. */
export const campaignNextBodySchema = z.strictObject({
  phoneId: z.string().min(1).max(64),
  action: z.enum(['dial', 'skip']),
});
export type CampaignNextBody = z.infer<typeof campaignNextBodySchema>;

/** The answer to `next`: the entry dialled or skipped, and the phone's view after it. */
export const campaignNextResultSchema = z.object({
  entry: campaignEntrySchema.nullable(),
  phone: campaignPhoneViewSchema,
});
export type CampaignNextResult = z.infer<typeof campaignNextResultSchema>;

/**
 * `POST /api/campaigns/:id/entries/:entryId/outcome` by the agent: `callback` (dial again at
 * `callbackAt`, even when its attempts are used up; that call is not retried past `maxAttempts`),
 * `skipped`, `invalid`, or `do_not_call` (also adds the number to the do-not-call list). Not while the
 * entry's call is on the phone.
 */
export const campaignOutcomeBodySchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('callback'), callbackAt: z.iso.datetime({ offset: true }) }),
  z.strictObject({ outcome: z.enum(['skipped', 'invalid', 'do_not_call']) }),
]);
export type CampaignOutcomeBody = z.infer<typeof campaignOutcomeBodySchema>;

// ---------- do-not-call ----------

export const doNotCallEntrySchema = z.object({
  id: z.string(),
  /** As given. */
  number: z.string(),
  e164: z.string().nullable(),
  digits: z.string(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type DoNotCallEntry = z.infer<typeof doNotCallEntrySchema>;

export const doNotCallListSchema = z.object({ entries: z.array(doNotCallEntrySchema) });
export type DoNotCallList = z.infer<typeof doNotCallListSchema>;

/** `POST /api/do-not-call`: numbers in any written form; one already listed (in any form) is not added twice. */
export const addDoNotCallBodySchema = z.strictObject({
  numbers: z.array(z.string().trim().min(1).max(200)).min(1).max(CAMPAIGN_MAX_ENTRIES),
  note: z.string().trim().max(500).optional(),
});
export type AddDoNotCallBody = z.infer<typeof addDoNotCallBodySchema>;

export const addDoNotCallResultSchema = z.object({
  added: z.array(doNotCallEntrySchema),
  /** Numbers already on the list (in any written form). */
  alreadyListed: z.array(z.string()),
  refused: z.array(z.object({ input: z.string(), message: z.string() })),
});
export type AddDoNotCallResult = z.infer<typeof addDoNotCallResultSchema>;

/** `DELETE /api/do-not-call?number=`: removes every listed form of this number (or `DELETE /api/do-not-call/:id`). */
export const removeDoNotCallBodySchema = z.strictObject({ number: z.string().trim().min(1).max(200) });
export type RemoveDoNotCallBody = z.infer<typeof removeDoNotCallBodySchema>;

// ---------- events (SSE) ----------

/**
 * SSE event `campaign`: a campaign changed (state, counts, a phone's current entry or countdown).
 * `campaign` is null when it was deleted. Sent to users who may read the campaign; display keys get none.
 */
export const campaignEventSchema = z.object({
  campaignId: z.string(),
  /** The campaign's phones: who may see any of them hears of it. */
  phoneIds: z.array(z.string()),
  campaign: campaignSchema.nullable(),
});
export type CampaignEvent = z.infer<typeof campaignEventSchema>;
