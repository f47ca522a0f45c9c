/**
 * Runs campaigns: a tick (every 250 ms) looks at each phone of each running campaign and applies the
 * rules of dialer-rules.ts. Automatic mode dials the next entry once the phone has been ready for the
 * wrap-up time; preview mode offers the next entry and dials it only on `dialOffered` (the agent's press).
 *
 * Safety: an entry is claimed in the database in one statement before it is dialled (never twice at
 * once, across phones and restarts); a phone has at most one attempt at a time (reserved before any
 * await); `halt` takes a campaign out of the running set synchronously, and every dial re-checks that
 * set after its claim, so Pause stops the next dial at once; a restart pauses every running campaign
 * (`start`). Outcomes come from the call journal (`onCall`, what the recorder publishes once stored),
 * never from a second reading of line states; the ring timeout ends an unanswered attempt once.
 */
import { randomUUID } from 'node:crypto';
import type { Call, Campaign, CampaignEntry, CampaignEvent, CampaignWaitReason } from '@linedeck/contract';
import { type CountryCode, numberKeys } from '@linedeck/contract/numbers';
import type { Principal } from '../access/access.ts';
import type { Audit } from '../audit/audit-seam.ts';
import type { CallIntents } from '../calls/calls-store.ts';
import { toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Commands, Idempotency } from '../phones/commands.ts';
import type { StateCache } from '../phones/state-cache.ts';
import type { CampaignRecord, CampaignsRepository } from './campaigns-repository.ts';
import {
  afterAttempt,
  attemptOutcome,
  dialDueAt,
  isAttemptCall,
  phoneWaitReason,
  ringTimedOut,
  withinCallingHours,
} from './dialer-rules.ts';

export interface DialerEngineOptions {
  repository: CampaignsRepository;
  cache: StateCache;
  commands: Commands;
  intents?: CallIntents | undefined;
  audit: Audit;
  logger: Logger;
  publish(event: CampaignEvent): void;
  defaultCountry?: CountryCode | undefined;
  tickMs?: number;
  /** An attempt the journal never reported a call for is closed as failed this long after its ring timeout. */
  lostCallGraceMs?: number;
}

interface Attempt {
  campaignId: string;
  /** Empty while the claim is being made (the phone is reserved already). */
  entryId: string;
  number: string;
  dialledAtMs: number;
  ringTimeoutSeconds: number;
  call: Call | null;
  timeoutSent: boolean;
  finishing: boolean;
}

interface PhoneRun {
  readySinceMs: number | null;
  nextDialAtMs: number | null;
  waiting: CampaignWaitReason | null;
}

const DEFAULT_TICK_MS = 250;

export class DialerEngine {
  /** One attempt per phone at most, whatever the campaign. */
  private readonly attempts = new Map<string, Attempt>();
  private readonly runs = new Map<string, PhoneRun>();
  /** Running campaigns and who started or resumed each (their dials are audited as that person's). */
  private readonly running = new Map<string, { campaign: CampaignRecord; by: Principal }>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private readonly lostCallGraceMs: number;

  constructor(private readonly options: DialerEngineOptions) {
    this.lostCallGraceMs = options.lostCallGraceMs ?? 10_000;
  }

  /** At server start: every campaign that was running is paused and dials nothing until a person resumes it. */
  async start(): Promise<void> {
    const paused = await this.options.repository.pauseAfterRestart();
    if (paused.length > 0) {
      this.options.logger.info({ campaigns: paused.length }, 'running campaigns paused by the restart');
    }
    this.timer = setInterval(() => {
      if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = null));
    }, this.options.tickMs ?? DEFAULT_TICK_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.running.clear();
    await this.ticking;
  }

  /** Starts (or resumes) dialling a campaign already stored as running. */
  run(campaign: CampaignRecord, by: Principal): void {
    this.running.set(campaign.id, { campaign, by });
    this.dirty.add(campaign.id);
  }

  /** Stops dialling at once (pause, stop, delete): no dial starts after this; a countdown is cancelled. */
  halt(campaignId: string): void {
    this.running.delete(campaignId);
    for (const key of [...this.runs.keys()]) if (key.startsWith(`${campaignId}\u0000`)) this.runs.delete(key);
    this.dirty.add(campaignId);
  }

  isRunning(campaignId: string): boolean {
    return this.running.has(campaignId);
  }

  /** The journal stored a call: if it is an attempt's, follow it; once it ended, the attempt has its outcome. */
  onCall(call: Call): void {
    const attempt = this.attempts.get(call.phoneId);
    if (!attempt?.entryId) return;
    if (
      attempt.call ? attempt.call.id !== call.id : !isAttemptCall(call, { ...attempt, phoneId: call.phoneId })
    )
      return;
    attempt.call = call;
    if (call.outcome !== null) void this.finishAttempt(call.phoneId, attempt);
  }

  private runOf(campaignId: string, phoneId: string): PhoneRun {
    const key = `${campaignId}\u0000${phoneId}`;
    let run = this.runs.get(key);
    if (!run) {
      run = { readySinceMs: null, nextDialAtMs: null, waiting: null };
      this.runs.set(key, run);
    }
    return run;
  }

  /** One look at every phone of every running campaign. */
  async tick(): Promise<void> {
    try {
      for (const [phoneId, attempt] of this.attempts) await this.watchAttempt(phoneId, attempt);
      for (const { campaign } of [...this.running.values()]) await this.tickCampaign(campaign);
      await this.publishDirty();
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message }, 'campaign tick failed');
    }
  }

  private setWaiting(
    campaignId: string,
    run: PhoneRun,
    waiting: CampaignWaitReason | null,
    dueAt: number | null,
  ) {
    if (run.waiting !== waiting || run.nextDialAtMs !== dueAt) this.dirty.add(campaignId);
    run.waiting = waiting;
    run.nextDialAtMs = dueAt;
  }

  private async tickCampaign(campaign: CampaignRecord): Promise<void> {
    const { repository, cache } = this.options;
    const now = new Date();
    const offered = campaign.mode === 'preview' ? await repository.activeEntries(campaign.id) : [];
    for (const phoneId of campaign.phoneIds) {
      if (!this.running.has(campaign.id)) return;
      const run = this.runOf(campaign.id, phoneId);
      const attempt = this.attempts.get(phoneId);
      if (attempt) {
        run.readySinceMs = null;
        this.setWaiting(campaign.id, run, attempt.campaignId === campaign.id ? null : 'in_call', null);
        continue;
      }
      const reason =
        phoneWaitReason(cache.get(phoneId)) ??
        (withinCallingHours(campaign.callingHours, now) ? null : 'outside_hours');
      if (reason) {
        run.readySinceMs = null;
        this.setWaiting(campaign.id, run, reason, null);
        continue;
      }
      if (campaign.mode === 'preview') {
        let has = offered.some((e) => e.phoneId === phoneId && e.state === 'offered');
        if (!has) {
          has = (await repository.claimNext(campaign.id, phoneId, 'offered', now)) !== null;
          if (has) this.dirty.add(campaign.id);
        }
        const open = has || (await repository.hasOpenEntries(campaign.id));
        this.setWaiting(campaign.id, run, has ? 'preview' : open ? 'retry_later' : 'no_entries', null);
        continue;
      }
      run.readySinceMs ??= now.getTime();
      const dueAt = dialDueAt(run.readySinceMs, campaign.wrapUpSeconds);
      if (now.getTime() < dueAt) {
        this.setWaiting(campaign.id, run, 'wrap_up', dueAt);
        continue;
      }
      const dialled = await this.dial(campaign, phoneId, null);
      if (!dialled) {
        const open = await repository.hasOpenEntries(campaign.id);
        this.setWaiting(campaign.id, run, open ? 'retry_later' : 'no_entries', null);
      }
    }
    await this.finishIfDone(campaign);
  }

  private async finishIfDone(campaign: CampaignRecord): Promise<void> {
    if ([...this.attempts.values()].some((a) => a.campaignId === campaign.id)) return;
    if (await this.options.repository.hasOpenEntries(campaign.id)) return;
    const done = await this.options.repository.updateCampaign(
      campaign.id,
      { state: 'finished', finishedAt: new Date().toISOString(), pausedBy: null },
      ['running'],
    );
    if (done) {
      this.halt(campaign.id);
      this.options.logger.info({ campaignId: campaign.id }, 'campaign finished: every entry is done');
    }
  }

  /**
   * Dials on `phoneId`: the entry offered to it (preview) or the next one claimed. Answers the entry
   * (dialled, or closed as do_not_call), or null when nothing was dialled.
   */
  async dial(
    campaign: CampaignRecord,
    phoneId: string,
    offered: CampaignEntry | null,
  ): Promise<CampaignEntry | null> {
    const { repository, commands, logger } = this.options;
    if (this.attempts.has(phoneId)) return null;
    const attempt: Attempt = {
      campaignId: campaign.id,
      entryId: '',
      number: '',
      dialledAtMs: Date.now(),
      ringTimeoutSeconds: campaign.ringTimeoutSeconds,
      call: null,
      timeoutSent: false,
      finishing: false,
    };
    // Reserved before the first await: no second dial on this phone can start meanwhile.
    this.attempts.set(phoneId, attempt);
    try {
      const now = new Date();
      const entry = offered
        ? await repository.dialOffered(offered.id, phoneId, now)
        : await repository.claimNext(campaign.id, phoneId, 'dialling', now);
      if (!entry) {
        this.attempts.delete(phoneId);
        return null;
      }
      const by = this.running.get(campaign.id)?.by;
      if (!by) {
        // Paused (or stopped) while the claim was made: the entry goes back untouched.
        await repository.setEntry(entry.id, { state: 'pending', attempts: entry.attempts - 1 }, ['dialling']);
        this.attempts.delete(phoneId);
        return null;
      }
      this.dirty.add(campaign.id);
      const keys = numberKeys(entry.number, this.options.defaultCountry ?? null);
      if ((await repository.doNotCallMatches(keys)).length > 0) {
        this.attempts.delete(phoneId);
        await this.audit('campaigns:dial', phoneId, campaign, entry, 'do_not_call', by);
        return repository.setEntry(entry.id, {
          state: 'done',
          outcome: 'do_not_call',
          attempts: entry.attempts - 1,
        });
      }
      attempt.entryId = entry.id;
      attempt.number = entry.number;
      attempt.dialledAtMs = Date.now();
      const intent = this.options.intents?.intend({
        phoneId,
        username: by.username,
        action: { kind: 'dial', number: entry.number },
        at: new Date(),
      });
      try {
        // A key per attempt: a retry of the same number within 1.5 s is a new call, not a double click.
        await commands.makeCall(
          phoneId,
          { number: entry.number },
          { principal: `campaign:${campaign.id}`, key: `${entry.id}-${entry.attempts}` },
        );
        intent?.done(true);
        await this.audit('campaigns:dial', phoneId, campaign, entry, 'ok', by);
      } catch (err) {
        intent?.done(false);
        const code = toAppError(err).code;
        logger.warn({ phoneId, campaignId: campaign.id, code }, 'campaign dial refused by the phone');
        await this.audit('campaigns:dial', phoneId, campaign, entry, code, by);
        this.attempts.delete(phoneId);
        await repository.setEntry(entry.id, { state: 'done', outcome: 'failed' }, ['dialling']);
      }
      return entry;
    } catch (err) {
      this.attempts.delete(phoneId);
      throw err;
    }
  }

  private async audit(
    action: string,
    phoneId: string,
    campaign: CampaignRecord,
    entry: CampaignEntry,
    result: string,
    by: Principal,
  ): Promise<void> {
    try {
      await this.options.audit.record({
        action,
        phoneId,
        params: {
          campaignId: campaign.id,
          campaign: campaign.name,
          entryId: entry.id,
          number: entry.number,
          attempt: entry.attempts,
        },
        result,
        principal: by,
        address: null,
      });
    } catch (err) {
      this.options.logger.error({ err, action, phoneId }, 'audit record failed');
    }
  }

  /** Ring timeout (ends the unanswered call once) and attempts whose call the journal never saw. */
  private async watchAttempt(phoneId: string, attempt: Attempt): Promise<void> {
    if (!attempt.entryId || attempt.finishing) return;
    const nowMs = Date.now();
    const answered = attempt.call?.answeredAt != null;
    if (
      !answered &&
      !attempt.timeoutSent &&
      ringTimedOut(attempt.dialledAtMs, attempt.ringTimeoutSeconds, nowMs)
    ) {
      attempt.timeoutSent = true;
      await this.endRingingAttempt(phoneId, attempt);
      return;
    }
    const lost = nowMs - attempt.dialledAtMs > attempt.ringTimeoutSeconds * 1000 + this.lostCallGraceMs;
    if (!attempt.call && lost && phoneWaitReason(this.options.cache.get(phoneId)) !== 'in_call') {
      this.options.logger.warn(
        { phoneId, entryId: attempt.entryId },
        'campaign attempt without a call: failed',
      );
      await this.closeAttempt(phoneId, attempt, null);
    }
  }

  private lineOf(phoneId: string, attempt: Attempt): number | undefined {
    if (attempt.call) return attempt.call.line;
    const digits = (s: string) => s.replace(/[^0-9*#]/g, '');
    return this.options.cache
      .lines(phoneId)
      .find((l) => digits(l.remoteNumber) === digits(attempt.number) && l.state !== 'idle')?.line;
  }

  private async endRingingAttempt(phoneId: string, attempt: Attempt): Promise<void> {
    const line = this.lineOf(phoneId, attempt);
    const by = this.running.get(attempt.campaignId)?.by;
    const intent = this.options.intents?.intend({
      phoneId,
      username: by?.username ?? 'campaign',
      action: { kind: 'operation', command: 'endcall', ...(line === undefined ? {} : { line }) },
      at: new Date(),
    });
    try {
      await this.options.commands.operation(
        phoneId,
        { command: 'endcall', ...(line === undefined ? {} : { line }) },
        this.ownKey(attempt.campaignId),
      );
      intent?.done(true);
    } catch (err) {
      intent?.done(false);
      this.options.logger.warn(
        { phoneId, code: toAppError(err).code },
        'campaign ring timeout: ending the call failed (not retried)',
      );
    }
  }

  private async finishAttempt(phoneId: string, attempt: Attempt): Promise<void> {
    if (attempt.finishing) return;
    await this.closeAttempt(phoneId, attempt, attempt.call);
  }

  /** The attempt's outcome onto its entry (retried or done), from its journal call (null: none seen: failed). */
  private async closeAttempt(phoneId: string, attempt: Attempt, call: Call | null): Promise<void> {
    attempt.finishing = true;
    const { repository } = this.options;
    try {
      const [campaign, entry] = await Promise.all([
        repository.getCampaign(attempt.campaignId),
        repository.getEntry(attempt.entryId),
      ]);
      if (campaign && entry) {
        const outcome = call ? attemptOutcome(call, attempt.timeoutSent) : 'failed';
        const next = afterAttempt(outcome, entry.attempts, campaign, new Date());
        await repository.setEntry(
          entry.id,
          {
            ...next,
            outcome,
            talkSeconds: call?.talkSeconds ?? 0,
            callId: call?.id ?? null,
            callbackAt: null,
          },
          ['dialling'],
        );
        this.dirty.add(campaign.id);
      }
      if (call) await this.clearFailedLine(phoneId, attempt, call);
    } finally {
      if (this.attempts.get(phoneId) === attempt) this.attempts.delete(phoneId);
    }
  }

  /**
   * Each of the dialer's own commands is a new intent: without a key of its own, an identical end call
   * on the same line within 1.5 s (the last attempt's) would be taken for a double click and not sent.
   */
  private ownKey(campaignId: string): Idempotency {
    return { principal: `campaign:${campaignId}`, key: randomUUID() };
  }

  /** A line left showing `failed` (busy, refused) stays so until hung up: the dialer hangs up its own. */
  private async clearFailedLine(phoneId: string, attempt: Attempt, call: Call): Promise<void> {
    const line = this.options.cache.lines(phoneId).find((l) => l.line === call.line);
    if (line?.state !== 'failed') return;
    try {
      await this.options.commands.operation(
        phoneId,
        { command: 'endcall', line: call.line },
        this.ownKey(attempt.campaignId),
      );
    } catch {
      // Only tidiness: the phone dials on another line meanwhile.
    }
  }

  /** Marks a campaign as changed: its event goes out at the end of the tick. */
  touch(campaignId: string): void {
    this.dirty.add(campaignId);
  }

  async publishDirty(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const campaign = await this.options.repository.getCampaign(id);
      if (campaign) {
        this.options.publish({
          campaignId: id,
          phoneIds: campaign.phoneIds,
          campaign: await this.view(campaign),
        });
      }
    }
  }

  /** The campaign as the API shows it: counts, progress and each phone's entry, next entry and countdown. */
  async view(campaign: CampaignRecord): Promise<Campaign> {
    const { repository } = this.options;
    const [counts, active, next] = await Promise.all([
      repository.counts(campaign.id),
      repository.activeEntries(campaign.id),
      repository.nextDue(campaign.id, new Date()),
    ]);
    const running = this.running.has(campaign.id);
    const phones = campaign.phoneIds.map((phoneId) => {
      const run = this.runs.get(`${campaign.id}\u0000${phoneId}`);
      const entry = active.find((e) => e.phoneId === phoneId) ?? null;
      return {
        phoneId,
        entry,
        next,
        nextDialAt: running && run?.nextDialAtMs ? new Date(run.nextDialAtMs).toISOString() : null,
        waiting: running
          ? entry?.state === 'dialling'
            ? null
            : (run?.waiting ?? null)
          : ('not_running' as const),
      };
    });
    const { createdById: _, ...shown } = campaign;
    return {
      ...shown,
      counts,
      progress: counts.total === 0 ? 0 : counts.done / counts.total,
      phones,
    };
  }
}
