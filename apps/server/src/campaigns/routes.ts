/**
 * `/api/campaigns...` and `/api/do-not-call` (docs/api.md, "Campaigns"). Who may do what:
 * - admins create and manage every campaign; an operator may create a personal campaign (preview mode,
 *   one of their own phones: the console's call list) and manage only the ones they created;
 * - operators (and admins) work campaigns on phones they control: `next`, an entry's `outcome`;
 * - viewers read campaigns that include a phone they see; display keys get nothing.
 * Every change is audited before the answer, with its campaign.
 */
import { randomUUID } from 'node:crypto';
import {
  addDoNotCallBodySchema,
  CAMPAIGN_MAX_ENTRIES,
  type Campaign,
  type CampaignImportResult,
  campaignEntriesQuerySchema,
  campaignNextBodySchema,
  campaignOutcomeBodySchema,
  createCampaignBodySchema,
  importCampaignEntriesBodySchema,
  removeDoNotCallBodySchema,
  updateCampaignBodySchema,
} from '@linedeck/contract';
import { type CountryCode, numberKeys, readNumber, sameNumber } from '@linedeck/contract/numbers';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { type Access, type Principal, principalOf } from '../access/access.ts';
import { actorId, canControlPhone, canSeePhone } from '../access/permissions.ts';
import { type Audit, auditedBy } from '../audit/audit-seam.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StateCache } from '../phones/state-cache.ts';
import { parseBody } from '../validate.ts';
import type { CampaignRecord, CampaignsRepository } from './campaigns-repository.ts';
import type { DialerEngine } from './dialer-engine.ts';
import { DEFAULT_RULES, phoneWaitReason, withinCallingHours } from './dialer-rules.ts';
import { checkRows, type SourceRow, sourceRows } from './entries-import.ts';
import { resultsCsv } from './results-csv.ts';

export interface CampaignRoutesDeps {
  repository: CampaignsRepository;
  engine: DialerEngine;
  cache: StateCache;
  access: Access;
  audit: Audit;
  logger: Logger;
  phoneExists(id: string): boolean;
  defaultCountry?: CountryCode | undefined;
}

function principal(res: Response): Principal {
  const p = principalOf(res);
  if (!p) throw new AppError('unauthenticated', 'Sign in first.');
  return p;
}

const noDisplayKeys: RequestHandler = (_req, res, next) => {
  if (principal(res).kind === 'display') throw new AppError('forbidden', 'A display key sees no campaigns.');
  next();
};

const canRead = (p: Principal, c: CampaignRecord) => c.phoneIds.some((id) => canSeePhone(p, id));

/** Admins manage every campaign; an operator only the personal ones they created. */
function canManage(p: Principal, c: CampaignRecord): boolean {
  if (p.role === 'admin') return true;
  return p.role === 'operator' && c.createdById !== null && c.createdById === actorId(p);
}

export function campaignRoutes(deps: CampaignRoutesDeps): Router {
  const { repository, engine, access, audit, logger } = deps;
  const country = deps.defaultCountry ?? null;
  const router = Router();
  router.use(['/campaigns', '/do-not-call'], access.authenticate, noDisplayKeys);

  const audited = auditedBy({ audit, logger });

  async function load(req: Request, res: Response): Promise<CampaignRecord> {
    const campaign = await repository.getCampaign(String(req.params.id));
    if (!campaign || !canRead(principal(res), campaign)) {
      throw new AppError('not_found', 'No such campaign.');
    }
    return campaign;
  }

  async function loadManaged(req: Request, res: Response): Promise<CampaignRecord> {
    const campaign = await load(req, res);
    if (!canManage(principal(res), campaign)) {
      throw new AppError(
        'forbidden',
        'Only an admin (or the operator whose personal campaign it is) manages it.',
      );
    }
    return campaign;
  }

  function checkPhones(p: Principal, phoneIds: readonly string[], mode: CampaignRecord['mode']): void {
    const unknown = phoneIds.filter((id) => !deps.phoneExists(id));
    if (unknown.length > 0) {
      throw new AppError('invalid_input', `No such phone: ${unknown.join(', ')}.`, {
        issues: [{ path: 'phoneIds', message: 'Every phone must exist.' }],
      });
    }
    if (new Set(phoneIds).size !== phoneIds.length) {
      throw new AppError('invalid_input', 'A phone is named twice.', {
        issues: [{ path: 'phoneIds', message: 'Name each phone once.' }],
      });
    }
    if (p.role === 'admin') return;
    if (
      p.role !== 'operator' ||
      mode !== 'preview' ||
      phoneIds.length !== 1 ||
      !canControlPhone(p, phoneIds[0] ?? '')
    ) {
      throw new AppError(
        'forbidden',
        'An operator may create only a personal preview campaign on one of their own phones.',
      );
    }
  }

  async function importRows(
    campaignId: string | null,
    rows: SourceRow[],
    dryRun: boolean,
  ): Promise<CampaignImportResult & { store: () => Promise<void> }> {
    const existing = campaignId ? await repository.entryKeys(campaignId) : [];
    const { entries, result } = await checkRows(rows, {
      country,
      existing,
      room: CAMPAIGN_MAX_ENTRIES - existing.length,
      onDoNotCall: async (keys) => (await repository.doNotCallMatches(keys)).length > 0,
    });
    return {
      dryRun,
      ...result,
      store: async () => {
        if (!dryRun && campaignId) await repository.addEntries(campaignId, entries);
      },
    };
  }

  const view = (c: CampaignRecord): Promise<Campaign> => engine.view(c);
  const answer = async (res: Response, c: CampaignRecord, status = 200) => {
    engine.touch(c.id);
    res.status(status).json(await view(c));
  };

  router.get('/campaigns', access.authorize('calls:read'), async (_req, res) => {
    const p = principal(res);
    const all = await repository.listCampaigns();
    const campaigns = await Promise.all(all.filter((c) => canRead(p, c)).map(view));
    res.json({ campaigns });
  });

  router.post('/campaigns', access.authorize('calls:read'), async (req, res) => {
    const p = principal(res);
    const body = parseBody(createCampaignBodySchema, req.body);
    checkPhones(p, body.phoneIds, body.mode);
    const at = new Date().toISOString();
    const campaign: CampaignRecord = {
      id: randomUUID(),
      name: body.name,
      mode: body.mode,
      state: 'draft',
      phoneIds: body.phoneIds,
      wrapUpSeconds: body.wrapUpSeconds ?? DEFAULT_RULES.wrapUpSeconds,
      ringTimeoutSeconds: body.ringTimeoutSeconds ?? DEFAULT_RULES.ringTimeoutSeconds,
      maxAttempts: body.maxAttempts ?? DEFAULT_RULES.maxAttempts,
      retryAfterMinutes: body.retryAfterMinutes ?? DEFAULT_RULES.retryAfterMinutes,
      callingHours: body.callingHours ?? null,
      pausedBy: null,
      createdById: actorId(p),
      createdBy: p.username,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      finishedAt: null,
    };
    const rows = (body.entries ?? []).map((input, i) => ({ row: i + 1, input }));
    const params = { name: body.name, mode: body.mode, phoneIds: body.phoneIds, entries: rows.length };
    const made = await audited(req, res, 'campaigns:create', null, params, async () => {
      await repository.insertCampaign(campaign);
      if (rows.length === 0) return null;
      const imported = await importRows(campaign.id, rows, false);
      await imported.store();
      const { store: _, ...result } = imported;
      return result;
    });
    engine.touch(campaign.id);
    res.status(201).json({ campaign: await view(campaign), import: made });
  });

  router.get('/campaigns/:id', access.authorize('calls:read'), async (req, res) => {
    res.json(await view(await load(req, res)));
  });

  router.patch('/campaigns/:id', access.authorize('calls:read'), async (req, res) => {
    const campaign = await loadManaged(req, res);
    const body = parseBody(updateCampaignBodySchema, req.body);
    if (campaign.state === 'running') {
      throw new AppError('rejected', 'Pause the campaign before changing it.');
    }
    checkPhones(principal(res), body.phoneIds ?? campaign.phoneIds, body.mode ?? campaign.mode);
    const updated = await audited(
      req,
      res,
      'campaigns:update',
      null,
      { campaignId: campaign.id, ...body },
      async () => {
        const changed = await repository.updateCampaign(campaign.id, body, ['draft', 'paused', 'finished']);
        if (!changed) throw new AppError('rejected', 'The campaign changed meanwhile: pause it first.');
        return changed;
      },
    );
    await answer(res, updated);
  });

  router.delete('/campaigns/:id', access.authorize('calls:read'), async (req, res) => {
    const campaign = await loadManaged(req, res);
    if (campaign.state === 'running') throw new AppError('rejected', 'Stop the campaign before deleting it.');
    await audited(req, res, 'campaigns:delete', null, { campaignId: campaign.id, name: campaign.name }, () =>
      repository.deleteCampaign(campaign.id),
    );
    engine.halt(campaign.id);
    res.status(204).end();
  });

  router.get('/campaigns/:id/entries', access.authorize('calls:read'), async (req, res) => {
    const campaign = await load(req, res);
    const query = parseBody(campaignEntriesQuerySchema, req.query, 'The query is not valid.');
    res.json(await repository.entries(campaign.id, query));
  });

  router.post('/campaigns/:id/entries', access.authorize('calls:read'), async (req, res) => {
    const campaign = await loadManaged(req, res);
    const body = parseBody(importCampaignEntriesBodySchema, req.body);
    const rows = sourceRows(body);
    if ('error' in rows) throw new AppError('invalid_input', rows.error);
    const dryRun = body.dryRun === true;
    const params = { campaignId: campaign.id, rows: rows.length, dryRun };
    const result = await audited(req, res, 'campaigns:import', null, params, async () => {
      if (campaign.state === 'finished' && !dryRun) {
        throw new AppError('rejected', 'The campaign is finished: entries cannot be added.');
      }
      const imported = await importRows(campaign.id, rows, dryRun);
      await imported.store();
      const { store: _, ...answered } = imported;
      return answered;
    });
    engine.touch(campaign.id);
    res.json(result);
  });

  /** start (draft), pause (running), resume (paused), stop (running or paused). */
  const transitions = {
    start: { from: ['draft'], to: 'running' },
    pause: { from: ['running'], to: 'paused' },
    resume: { from: ['paused'], to: 'running' },
    stop: { from: ['running', 'paused', 'draft'], to: 'finished' },
  } as const;
  for (const [verb, t] of Object.entries(transitions)) {
    router.post(`/campaigns/:id/${verb}`, access.authorize('calls:read'), async (req, res) => {
      const campaign = await loadManaged(req, res);
      const p = principal(res);
      if (!(t.from as readonly string[]).includes(campaign.state)) {
        throw new AppError('rejected', `A ${campaign.state} campaign cannot ${verb}.`);
      }
      // Stopping dials first, in memory: no dial may start between this request and the store's answer.
      if (t.to !== 'running') engine.halt(campaign.id);
      const at = new Date().toISOString();
      const patch: Partial<CampaignRecord> = {
        state: t.to,
        pausedBy: t.to === 'paused' ? 'person' : null,
        ...(verb === 'start' ? { startedAt: at } : {}),
        ...(t.to === 'finished' ? { finishedAt: at } : {}),
      };
      const updated = await audited(
        req,
        res,
        `campaigns:${verb}`,
        null,
        { campaignId: campaign.id, name: campaign.name },
        async () => {
          const changed = await repository.updateCampaign(campaign.id, patch, t.from);
          if (!changed) throw new AppError('rejected', 'The campaign changed meanwhile: read it again.');
          if (t.to !== 'running') await repository.releaseOffered(campaign.id);
          return changed;
        },
      );
      if (t.to === 'running') engine.run(updated, p);
      await answer(res, updated);
    });
  }

  router.post('/campaigns/:id/next', access.authorize('calls:control'), async (req, res) => {
    const campaign = await load(req, res);
    const body = parseBody(campaignNextBodySchema, req.body);
    const p = principal(res);
    if (!campaign.phoneIds.includes(body.phoneId)) {
      throw new AppError('invalid_input', 'This phone does not work this campaign.');
    }
    if (!canControlPhone(p, body.phoneId)) {
      throw new AppError('forbidden', `You may not control calls on phone ${body.phoneId}.`);
    }
    if (campaign.mode !== 'preview') {
      throw new AppError('rejected', 'An automatic campaign dials by itself: pause it to stop it.');
    }
    if (!engine.isRunning(campaign.id)) throw new AppError('rejected', `The campaign is ${campaign.state}.`);
    const params = { campaignId: campaign.id, campaign: campaign.name, action: body.action };
    const entry = await audited(req, res, `campaigns:next`, body.phoneId, params, async () => {
      const offered = (await repository.activeEntries(campaign.id)).find(
        (e) => e.phoneId === body.phoneId && e.state === 'offered',
      );
      if (body.action === 'skip') {
        if (!offered) throw new AppError('rejected', 'No entry is offered to this phone.');
        const skipped = await repository.setEntry(offered.id, { state: 'done', outcome: 'skipped' }, [
          'offered',
        ]);
        await repository.claimNext(campaign.id, body.phoneId, 'offered', new Date());
        return skipped;
      }
      const waiting =
        phoneWaitReason(deps.cache.get(body.phoneId)) ??
        (withinCallingHours(campaign.callingHours, new Date()) ? null : 'outside_hours');
      if (waiting)
        throw new AppError('rejected', `The phone cannot dial now (${waiting.replace('_', ' ')}).`, {
          phoneId: body.phoneId,
        });
      const dialled = await engine.dial(campaign, body.phoneId, offered ?? null);
      if (!dialled)
        throw new AppError('rejected', 'Nothing to dial: no entry is due, or the phone is on a call.');
      return dialled;
    });
    engine.touch(campaign.id);
    const shown = await view(campaign);
    res.json({ entry, phone: shown.phones.find((ph) => ph.phoneId === body.phoneId) });
  });

  router.post(
    '/campaigns/:id/entries/:entryId/outcome',
    access.authorize('calls:control'),
    async (req, res) => {
      const campaign = await load(req, res);
      const body = parseBody(campaignOutcomeBodySchema, req.body);
      const p = principal(res);
      const entry = await repository.getEntry(String(req.params.entryId));
      if (!entry || entry.campaignId !== campaign.id) throw new AppError('not_found', 'No such entry.');
      // The phone the entry was on (or any of the campaign's the agent controls, for one never dialled).
      const phoneId = entry.phoneId ?? campaign.phoneIds.find((id) => canControlPhone(p, id)) ?? null;
      if (!phoneId || !canControlPhone(p, phoneId)) {
        throw new AppError('forbidden', 'You work none of this campaign’s phones.');
      }
      const params = { campaignId: campaign.id, entryId: entry.id, ...body };
      const updated = await audited(req, res, 'campaigns:outcome', phoneId, params, async () => {
        if (entry.state === 'dialling') {
          throw new AppError('rejected', 'The entry’s call is on the phone: set its outcome once it ended.');
        }
        if (body.outcome === 'callback') {
          return repository.setEntry(
            entry.id,
            { state: 'pending', nextAttemptAt: body.callbackAt, callbackAt: body.callbackAt },
            ['pending', 'offered', 'done'],
          );
        }
        if (body.outcome === 'do_not_call') {
          const keys = numberKeys(entry.number, country);
          if ((await repository.doNotCallMatches(keys)).length === 0) {
            await repository.addDoNotCall([
              { ...keys, number: entry.number, note: `campaign ${campaign.name}`, createdBy: p.username },
            ]);
          }
        }
        return repository.setEntry(entry.id, { state: 'done', outcome: body.outcome, nextAttemptAt: null }, [
          'pending',
          'offered',
          'done',
        ]);
      });
      if (!updated) throw new AppError('rejected', 'The entry changed meanwhile: read it again.');
      engine.touch(campaign.id);
      res.json(updated);
    },
  );

  router.get('/campaigns/:id/results.csv', access.authorize('calls:read'), async (req, res) => {
    const campaign = await load(req, res);
    const { entries } = await repository.entries(campaign.id, {});
    const safeName = campaign.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'campaign';
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${safeName}-results.csv"`);
    res.send(resultsCsv(entries));
  });

  // ---------- do-not-call ----------

  const notViewer: RequestHandler = (_req, res, next) => {
    if (principal(res).role === 'viewer')
      throw new AppError('forbidden', 'The viewer role may not use the do-not-call list.');
    next();
  };

  router.get('/do-not-call', notViewer, async (_req, res) => {
    res.json({ entries: await repository.doNotCallList() });
  });

  router.post('/do-not-call', notViewer, async (req, res) => {
    const body = parseBody(addDoNotCallBodySchema, req.body);
    const p = principal(res);
    const result = await audited(
      req,
      res,
      'do_not_call:add',
      null,
      { numbers: body.numbers.length },
      async () => {
        const added: Parameters<typeof repository.addDoNotCall>[0][number][] = [];
        const alreadyListed: string[] = [];
        const refused: { input: string; message: string }[] = [];
        for (const input of body.numbers) {
          const read = readNumber(input);
          if (!read.ok) {
            refused.push({ input, message: read.reason });
            continue;
          }
          const keys = numberKeys(read.number, country);
          const listed =
            (await repository.doNotCallMatches(keys)).length > 0 || added.some((a) => sameNumber(a, keys));
          if (listed) alreadyListed.push(input);
          else added.push({ ...keys, number: input.trim(), note: body.note ?? null, createdBy: p.username });
        }
        return { added: await repository.addDoNotCall(added), alreadyListed, refused };
      },
    );
    res.status(201).json(result);
  });

  const adminOnly: RequestHandler = (_req, res, next) => {
    if (principal(res).role !== 'admin')
      throw new AppError('forbidden', 'Only an admin takes numbers off the do-not-call list.');
    next();
  };

  router.delete('/do-not-call/:id', adminOnly, async (req, res) => {
    const id = String(req.params.id);
    const removed = await audited(req, res, 'do_not_call:remove', null, { id }, () =>
      repository.removeDoNotCall([id]),
    );
    if (removed === 0) throw new AppError('not_found', 'No such do-not-call entry.');
    res.status(204).end();
  });

  router.delete('/do-not-call', adminOnly, async (req, res) => {
    const body = parseBody(removeDoNotCallBodySchema, req.query, 'The query is not valid.');
    const read = readNumber(body.number);
    if (!read.ok) throw new AppError('invalid_input', read.reason);
    const matches = await repository.doNotCallMatches(numberKeys(read.number, country));
    const removed = await audited(req, res, 'do_not_call:remove', null, { number: body.number }, () =>
      repository.removeDoNotCall(matches.map((m) => m.id)),
    );
    res.json({ removed });
  });

  return router;
}
