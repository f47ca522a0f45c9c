/**
 * Campaigns, their entries and the do-not-call list in the store (SQL only; SQLite and Postgres alike).
 * The one rule that keeps an entry from being dialled twice at once lives here: an entry is claimed in
 * ONE statement (`UPDATE ... WHERE id = (first pending) AND state = 'pending' RETURNING`), so two phones,
 * two ticks or two servers can never both get it: the second statement finds it no longer pending.
 */
import { randomUUID } from 'node:crypto';
import {
  CAMPAIGN_ENTRY_OUTCOMES,
  CAMPAIGN_ENTRY_STATES,
  CAMPAIGN_MAX_ENTRIES,
  type CallingHours,
  type CampaignCounts,
  type CampaignEntry,
  type CampaignEntryOutcome,
  type CampaignEntryState,
  type CampaignMode,
  type CampaignState,
  type DoNotCallEntry,
} from '@linedeck/contract';
import { type NumberKeys, sameNumber } from '@linedeck/contract/numbers';
import { type Selectable, sql, type Updateable } from 'kysely';
import type { CampaignEntriesTable, CampaignsTable, Db, DoNotCallTable } from '../store/schema.ts';

export interface CampaignRecord {
  id: string;
  name: string;
  mode: CampaignMode;
  state: CampaignState;
  phoneIds: string[];
  wrapUpSeconds: number;
  ringTimeoutSeconds: number;
  maxAttempts: number;
  retryAfterMinutes: number;
  callingHours: CallingHours | null;
  pausedBy: 'person' | 'restart' | null;
  /** Who created it (their actor id), so an operator manages their own personal campaign. */
  createdById: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewEntry {
  number: string;
  e164: string | null;
  digits: string;
  name: string | null;
  note: string | null;
}

export type EntryPatch = Partial<
  Pick<
    CampaignEntry,
    'state' | 'nextAttemptAt' | 'callbackAt' | 'phoneId' | 'outcome' | 'talkSeconds' | 'callId' | 'attempts'
  >
>;

function toCampaign(row: Selectable<CampaignsTable>): CampaignRecord {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode as CampaignMode,
    state: row.state as CampaignState,
    phoneIds: JSON.parse(row.phone_ids) as string[],
    wrapUpSeconds: Number(row.wrap_up_seconds),
    ringTimeoutSeconds: Number(row.ring_timeout_seconds),
    maxAttempts: Number(row.max_attempts),
    retryAfterMinutes: Number(row.retry_after_minutes),
    callingHours: row.calling_hours ? (JSON.parse(row.calling_hours) as CallingHours) : null,
    pausedBy: row.paused_by as CampaignRecord['pausedBy'],
    createdById: row.created_by_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function campaignColumns(c: Partial<CampaignRecord>): Updateable<CampaignsTable> {
  const row: Updateable<CampaignsTable> = {};
  if (c.name !== undefined) row.name = c.name;
  if (c.mode !== undefined) row.mode = c.mode;
  if (c.state !== undefined) row.state = c.state;
  if (c.phoneIds !== undefined) row.phone_ids = JSON.stringify(c.phoneIds);
  if (c.wrapUpSeconds !== undefined) row.wrap_up_seconds = c.wrapUpSeconds;
  if (c.ringTimeoutSeconds !== undefined) row.ring_timeout_seconds = c.ringTimeoutSeconds;
  if (c.maxAttempts !== undefined) row.max_attempts = c.maxAttempts;
  if (c.retryAfterMinutes !== undefined) row.retry_after_minutes = c.retryAfterMinutes;
  if (c.callingHours !== undefined)
    row.calling_hours = c.callingHours ? JSON.stringify(c.callingHours) : null;
  if (c.pausedBy !== undefined) row.paused_by = c.pausedBy;
  if (c.updatedAt !== undefined) row.updated_at = c.updatedAt;
  if (c.startedAt !== undefined) row.started_at = c.startedAt;
  if (c.finishedAt !== undefined) row.finished_at = c.finishedAt;
  return row;
}

function toEntry(row: Selectable<CampaignEntriesTable>): CampaignEntry {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    position: Number(row.position),
    number: row.number,
    e164: row.e164,
    name: row.name,
    note: row.note,
    state: row.state as CampaignEntryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    callbackAt: row.callback_at,
    phoneId: row.phone_id,
    outcome: row.outcome as CampaignEntryOutcome | null,
    talkSeconds: Number(row.talk_seconds),
    callId: row.call_id,
    updatedAt: row.updated_at,
  };
}

function toDoNotCall(r: Selectable<DoNotCallTable>): DoNotCallEntry {
  return {
    id: r.id,
    number: r.number,
    e164: r.e164,
    digits: r.digits,
    note: r.note,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function entryColumns(p: EntryPatch): Updateable<CampaignEntriesTable> {
  const row: Updateable<CampaignEntriesTable> = {};
  if (p.state !== undefined) row.state = p.state;
  if (p.nextAttemptAt !== undefined) row.next_attempt_at = p.nextAttemptAt;
  if (p.callbackAt !== undefined) row.callback_at = p.callbackAt;
  if (p.phoneId !== undefined) row.phone_id = p.phoneId;
  if (p.outcome !== undefined) row.outcome = p.outcome;
  if (p.talkSeconds !== undefined) row.talk_seconds = p.talkSeconds;
  if (p.callId !== undefined) row.call_id = p.callId;
  if (p.attempts !== undefined) row.attempts = p.attempts;
  return row;
}

/** Every entry state but `done`, from the contract's list, so a state added there is open here too. */
const OPEN_STATES = CAMPAIGN_ENTRY_STATES.filter((s) => s !== 'done');

export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;

export function createCampaignsRepository(db: Db) {
  const now = () => new Date().toISOString();

  async function getCampaign(id: string): Promise<CampaignRecord | null> {
    const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCampaign(row) : null;
  }

  /** The first pending entry whose time has come, by position. */
  const firstDue = (campaignId: string, at: string) =>
    db
      .selectFrom('campaign_entries')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
      .orderBy('position')
      .limit(1);

  return {
    getCampaign,

    async listCampaigns(): Promise<CampaignRecord[]> {
      const rows = await db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map(toCampaign);
    },

    async insertCampaign(c: CampaignRecord): Promise<void> {
      await db
        .insertInto('campaigns')
        .values({
          id: c.id,
          name: c.name,
          mode: c.mode,
          state: c.state,
          phone_ids: JSON.stringify(c.phoneIds),
          wrap_up_seconds: c.wrapUpSeconds,
          ring_timeout_seconds: c.ringTimeoutSeconds,
          max_attempts: c.maxAttempts,
          retry_after_minutes: c.retryAfterMinutes,
          calling_hours: c.callingHours ? JSON.stringify(c.callingHours) : null,
          paused_by: c.pausedBy,
          created_by_id: c.createdById,
          created_by: c.createdBy,
          created_at: c.createdAt,
          updated_at: c.updatedAt,
          started_at: c.startedAt,
          finished_at: c.finishedAt,
        })
        .execute();
    },

    /**
     * Changes a campaign; with `fromStates`, only when it is in one of them (a state change that lost a
     * race changes nothing). Answers the campaign as stored after, or null when nothing changed.
     */
    async updateCampaign(
      id: string,
      patch: Partial<CampaignRecord>,
      fromStates?: readonly CampaignState[],
    ): Promise<CampaignRecord | null> {
      let query = db
        .updateTable('campaigns')
        .set(campaignColumns({ ...patch, updatedAt: now() }))
        .where('id', '=', id);
      if (fromStates) query = query.where('state', 'in', [...fromStates]);
      const result = await query.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return null;
      return getCampaign(id);
    },

    async deleteCampaign(id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('campaign_entries').where('campaign_id', '=', id).execute();
        await tx.deleteFrom('campaigns').where('id', '=', id).execute();
      });
    },

    /** At start: running campaigns become paused (by the restart); offered and dialling entries pending. */
    async pauseAfterRestart(): Promise<string[]> {
      const at = now();
      return db.transaction().execute(async (tx) => {
        const running = await tx
          .selectFrom('campaigns')
          .select('id')
          .where('state', '=', 'running')
          .execute();
        const ids = running.map((r) => r.id);
        if (ids.length > 0) {
          await tx
            .updateTable('campaigns')
            .set({ state: 'paused', paused_by: 'restart', updated_at: at })
            .where('id', 'in', ids)
            .execute();
        }
        await tx
          .updateTable('campaign_entries')
          .set({ state: 'pending', updated_at: at })
          .where('state', 'in', ['offered', 'dialling'])
          .execute();
        return ids;
      });
    },

    async entryKeys(campaignId: string): Promise<NumberKeys[]> {
      return db
        .selectFrom('campaign_entries')
        .select(['e164', 'digits'])
        .where('campaign_id', '=', campaignId)
        .execute();
    },

    async entryCount(campaignId: string): Promise<number> {
      const row = await db
        .selectFrom('campaign_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaignId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async addEntries(campaignId: string, entries: readonly NewEntry[]): Promise<void> {
      if (entries.length === 0) return;
      const at = now();
      await db.transaction().execute(async (tx) => {
        const max = await tx
          .selectFrom('campaign_entries')
          .select((eb) => eb.fn.max<number>('position').as('p'))
          .where('campaign_id', '=', campaignId)
          .executeTakeFirst();
        let position = Number(max?.p ?? 0);
        // Chunks keep each INSERT under SQLite's parameter limit.
        for (let i = 0; i < entries.length; i += 200) {
          const rows = entries.slice(i, i + 200).map((e) => ({
            id: randomUUID(),
            campaign_id: campaignId,
            position: ++position,
            number: e.number,
            e164: e.e164,
            digits: e.digits,
            name: e.name,
            note: e.note,
            state: 'pending',
            next_attempt_at: null,
            callback_at: null,
            phone_id: null,
            outcome: null,
            call_id: null,
            dialled_at: null,
            updated_at: at,
          }));
          await tx.insertInto('campaign_entries').values(rows).execute();
        }
      });
    },

    async counts(campaignId: string): Promise<CampaignCounts> {
      const rows = await db
        .selectFrom('campaign_entries')
        .select(['state', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
        .where('campaign_id', '=', campaignId)
        .groupBy(['state', 'outcome'])
        .execute();
      const outcomes = Object.fromEntries(CAMPAIGN_ENTRY_OUTCOMES.map((o) => [o, 0])) as Record<
        CampaignEntryOutcome,
        number
      >;
      const counts: CampaignCounts = { total: 0, remaining: 0, dialling: 0, done: 0, outcomes };
      for (const r of rows) {
        const n = Number(r.n);
        counts.total += n;
        if (r.state === 'done') counts.done += n;
        else if (r.state === 'dialling') counts.dialling += n;
        else counts.remaining += n;
        if (r.outcome) outcomes[r.outcome as CampaignEntryOutcome] += n;
      }
      return counts;
    },

    async entries(
      campaignId: string,
      q: { state?: CampaignEntryState; outcome?: CampaignEntryOutcome; limit?: number; offset?: number },
    ): Promise<{ entries: CampaignEntry[]; total: number }> {
      let base = db.selectFrom('campaign_entries').where('campaign_id', '=', campaignId);
      if (q.state) base = base.where('state', '=', q.state);
      if (q.outcome) base = base.where('outcome', '=', q.outcome);
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await base
        .selectAll()
        .orderBy('position')
        .limit(q.limit ?? CAMPAIGN_MAX_ENTRIES)
        .offset(q.offset ?? 0)
        .execute();
      return { entries: rows.map(toEntry), total: Number(total?.n ?? 0) };
    },

    async getEntry(id: string): Promise<CampaignEntry | null> {
      const row = await db.selectFrom('campaign_entries').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toEntry(row) : null;
    },

    /** Entries offered to or being dialled on a phone now. */
    async activeEntries(campaignId: string): Promise<CampaignEntry[]> {
      const rows = await db
        .selectFrom('campaign_entries')
        .selectAll()
        .where('campaign_id', '=', campaignId)
        .where('state', 'in', ['offered', 'dialling'])
        .execute();
      return rows.map(toEntry);
    },

    async nextDue(campaignId: string, at: Date): Promise<CampaignEntry | null> {
      const row = await db
        .selectFrom('campaign_entries')
        .selectAll()
        .where('id', '=', firstDue(campaignId, at.toISOString()))
        .executeTakeFirst();
      return row ? toEntry(row) : null;
    },

    /**
     * Is any entry still to be dialled or on a phone? (none: the campaign is finished). Asked as "in the
     * states that are not done", not "!= 'done'": equality on the claim index, so a late-day list does not
     * walk its done rows on every tick (bench k).
     */
    async hasOpenEntries(campaignId: string): Promise<boolean> {
      const row = await db
        .selectFrom('campaign_entries')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('state', 'in', OPEN_STATES)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Claims the first due pending entry for a phone, in one statement: `offered` (preview) or
     * `dialling` (an attempt starts: attempts + 1). Null when none is due or another claim won it.
     */
    async claimNext(
      campaignId: string,
      phoneId: string,
      state: 'offered' | 'dialling',
      at: Date,
    ): Promise<CampaignEntry | null> {
      const iso = at.toISOString();
      const row = await db
        .updateTable('campaign_entries')
        .set({
          state,
          phone_id: phoneId,
          updated_at: iso,
          ...(state === 'dialling' ? { attempts: sql<number>`attempts + 1`, dialled_at: iso } : {}),
        })
        .where('id', '=', firstDue(campaignId, iso))
        .where('state', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      return row ? toEntry(row) : null;
    },

    /** The entry offered to this phone becomes its attempt (one statement, like a claim). */
    async dialOffered(entryId: string, phoneId: string, at: Date): Promise<CampaignEntry | null> {
      const iso = at.toISOString();
      const row = await db
        .updateTable('campaign_entries')
        .set({ state: 'dialling', attempts: sql<number>`attempts + 1`, dialled_at: iso, updated_at: iso })
        .where('id', '=', entryId)
        .where('state', '=', 'offered')
        .where('phone_id', '=', phoneId)
        .returningAll()
        .executeTakeFirst();
      return row ? toEntry(row) : null;
    },

    /** Changes an entry; with `fromStates`, only when it is in one of them. Null when nothing changed. */
    async setEntry(
      id: string,
      patch: EntryPatch,
      fromStates?: readonly CampaignEntryState[],
    ): Promise<CampaignEntry | null> {
      let query = db
        .updateTable('campaign_entries')
        .set({ ...entryColumns(patch), updated_at: now() })
        .where('id', '=', id);
      if (fromStates) query = query.where('state', 'in', [...fromStates]);
      const row = await query.returningAll().executeTakeFirst();
      return row ? toEntry(row) : null;
    },

    /** Offered entries go back to the list (pause, stop, a phone leaving the campaign). */
    async releaseOffered(campaignId: string, phoneId?: string): Promise<void> {
      let query = db
        .updateTable('campaign_entries')
        .set({ state: 'pending', updated_at: now() })
        .where('campaign_id', '=', campaignId)
        .where('state', '=', 'offered');
      if (phoneId) query = query.where('phone_id', '=', phoneId);
      await query.execute();
    },

    // ---------- do-not-call ----------

    async doNotCallList(): Promise<DoNotCallEntry[]> {
      const rows = await db.selectFrom('do_not_call').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map(toDoNotCall);
    },

    /** Listed numbers matching `keys` by the numbers model's rule (E.164 when both have one, else digits). */
    async doNotCallMatches(keys: NumberKeys): Promise<DoNotCallEntry[]> {
      if (!keys.e164 && !keys.digits) return [];
      const rows = await db
        .selectFrom('do_not_call')
        .selectAll()
        .where((eb) =>
          eb.or([
            ...(keys.e164 ? [eb('e164', '=', keys.e164)] : []),
            ...(keys.digits ? [eb('digits', '=', keys.digits)] : []),
          ]),
        )
        .execute();
      return rows.filter((r) => sameNumber(keys, { e164: r.e164, digits: r.digits })).map(toDoNotCall);
    },

    async addDoNotCall(
      entries: readonly (NumberKeys & { number: string; note: string | null; createdBy: string | null })[],
    ): Promise<DoNotCallEntry[]> {
      const at = now();
      const made = entries.map((e) => ({
        id: randomUUID(),
        number: e.number,
        e164: e.e164,
        digits: e.digits,
        note: e.note,
        createdBy: e.createdBy,
        createdAt: at,
      }));
      for (let i = 0; i < made.length; i += 200) {
        await db
          .insertInto('do_not_call')
          .values(
            made.slice(i, i + 200).map((m) => ({
              id: m.id,
              number: m.number,
              e164: m.e164,
              digits: m.digits,
              note: m.note,
              created_by: m.createdBy,
              created_at: m.createdAt,
            })),
          )
          .execute();
      }
      return made;
    },

    async removeDoNotCall(ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await db
        .deleteFrom('do_not_call')
        .where('id', 'in', [...ids])
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
