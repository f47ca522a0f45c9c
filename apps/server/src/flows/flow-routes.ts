/**
 * The flow routes (docs/api.md, "Transfer and conference"), `calls:control` on the phone, audited like
 * every command, bodies validated before anything reaches the phone:
 *   POST /api/phones/:id/transfer {line, number, mode, ringSeconds?}   .../transfer/complete {line}
 *   .../transfer/cancel {line}   .../conference {line, number, ringSeconds?}   .../conference/end {line}
 *   .../conference/drop {line}
 * Each answers `{ flow }` (the flow after the request) or an error a person can read. One flow per
 * phone: a second is 409. The progress is in PhoneState.flow, so every page sees it by SSE.
 */
import {
  type CallFlow,
  conferenceBodySchema,
  type FlowKind,
  flowLineBodySchema,
  type LineView,
  type TransferMode,
  transferBodySchema,
} from '@linedeck/contract';
import { type Request, type Response, Router } from 'express';
import { type Access, principalOf } from '../access/access.ts';
import { type Audit, auditedRun } from '../audit/audit-seam.ts';
import type { CallIntents } from '../calls/calls-store.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Registry } from '../phones/registry.ts';
import type { StateCache } from '../phones/state-cache.ts';
import { parseBody } from '../validate.ts';
import { dropParty, endConference, runConference } from './conference.ts';
import { cancelFlow, type FlowContext } from './consult-steps.ts';
import { FlowBoard, type FlowRun } from './flow-board.ts';
import { FlowPhone, stateOf } from './flow-phone.ts';
import { completeTransfer, runTransfer } from './transfer.ts';
import { watchFlow } from './watch-flow.ts';

export interface FlowOptions {
  /** How long a target may ring when the body does not say (30 s). */
  ringSeconds?: number;
  /** How long a key's effect may take to show in line status (1500 ms). */
  settleMs?: number;
  /** Pause between line reads while waiting (100 ms). */
  pollMs?: number;
  /** Blind transfer: how long to look for a quick "busy" before handing over (800 ms). */
  blindCheckMs?: number;
  /** How long a finished flow stays visible (5000 ms). */
  lingerMs?: number;
}

export interface FlowRoutesDeps {
  registry: Registry;
  cache: StateCache;
  access: Access;
  audit: Audit;
  logger: Logger;
  /** The call journal hears who transferred a call where, before the key that does it. */
  callIntents?: CallIntents;
  options?: FlowOptions;
}

export function flowRoutes(deps: FlowRoutesDeps): Router {
  const { registry, cache, access, audit, logger } = deps;
  const options = deps.options ?? {};
  const timing = { pollMs: options.pollMs ?? 100, settleMs: options.settleMs ?? 1500 };
  const board = new FlowBoard(cache, options.lingerMs ?? 5000);
  const router = Router();
  const control = access.authorize('calls:control', { phoneParam: 'id' });

  // A flow waiting for the person (talking, joined) follows what the phone shows: a party may hang up.
  cache.onState((state) => {
    const run = board.active(state.phoneId);
    if (run && run.busy === null) watchFlow(board, run, state.lines);
  });

  function context(run: FlowRun, res: Response, ringSeconds?: number): FlowContext {
    const username = principalOf(res)?.username ?? 'local';
    return {
      phone: new FlowPhone(registry.entry(run.phoneId), cache, timing),
      board,
      run,
      logger,
      ringMs: (ringSeconds ?? options.ringSeconds ?? 30) * 1000,
      blindCheckMs: options.blindCheckMs ?? 800,
      intendTransfer: (target, line) =>
        deps.callIntents?.intend({
          phoneId: run.phoneId,
          username,
          action: { kind: 'transfer', target, line },
          at: new Date(),
        }),
    };
  }

  /** One request at a time works on a flow; the watcher leaves it alone meanwhile. */
  async function exclusive(run: FlowRun, work: () => Promise<CallFlow>): Promise<CallFlow> {
    const promise = work();
    run.busy = promise;
    try {
      return await promise;
    } finally {
      run.busy = null;
      run.request = null;
      watchFlow(board, run, cache.lines(run.phoneId));
    }
  }

  async function start(
    res: Response,
    phoneId: string,
    init: { kind: FlowKind; mode: TransferMode | null; line: number; number: string },
    ringSeconds: number | undefined,
    run: (ctx: FlowContext, before: readonly LineView[]) => Promise<CallFlow>,
  ): Promise<{ flow: CallFlow }> {
    board.refuseIfBusy(phoneId);
    const phone = new FlowPhone(registry.entry(phoneId), cache, timing);
    const before = await phone.lines();
    const initialState = stateOf(before, init.line);
    if (initialState !== 'connected' && initialState !== 'onhold') {
      throw new AppError('rejected', `There is no established call on line ${init.line}.`, { phoneId });
    }
    // The phone calls the target on a line of its own: with none free the keys would reach the caller.
    if (!before.some((l) => l.line !== init.line && l.state === 'idle')) {
      throw new AppError('rejected', 'Every other line of the phone is in use: end or free one first.', {
        phoneId,
      });
    }
    const startedBy = principalOf(res)?.username ?? null;
    const flowRun = board.start(phoneId, { ...init, startedBy, initialState });
    const ctx = context(flowRun, res, ringSeconds);
    return { flow: await exclusive(flowRun, () => run(ctx, before)) };
  }

  /** The phone's flow of `kind` on `line` (its caller's line or a conference party), else 409. */
  function runOn(phoneId: string, kind: FlowKind, line: number): FlowRun {
    const run = board.active(phoneId);
    const on = run && (run.flow.line === line || run.flow.conferenceLines.includes(line));
    if (!run || run.flow.kind !== kind || !on) {
      throw new AppError('rejected', `No ${kind} is under way on line ${line}.`, { phoneId });
    }
    return run;
  }

  /**
   * Complete or cancel: while a step runs (the target still rings), the running step does it at its next
   * read and this request answers with the outcome.
   */
  async function request(
    res: Response,
    run: FlowRun,
    ask: 'complete' | 'cancel',
    work: (ctx: FlowContext) => Promise<CallFlow>,
  ): Promise<{ flow: CallFlow }> {
    if (run.busy) {
      run.request = ask;
      await run.busy.catch(() => undefined);
      if (run.flow.stage === 'failed') {
        throw new AppError('rejected', run.flow.message ?? 'The flow failed.', { phoneId: run.phoneId });
      }
      return { flow: run.flow };
    }
    return { flow: await exclusive(run, () => work(context(run, res))) };
  }

  const audited = <T>(
    req: Request,
    res: Response,
    action: string,
    params: Record<string, unknown>,
    work: () => Promise<T>,
  ): Promise<T> =>
    auditedRun({ audit, logger }, req, res, { action, phoneId: req.params.id as string, params }, work);

  router.post('/phones/:id/transfer', control, async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(transferBodySchema, req.body);
    const init = { kind: 'transfer' as const, mode: body.mode, line: body.line, number: body.number };
    res.json(
      await audited(req, res, 'calls:transfer', { ...body }, () =>
        start(res, id, init, body.ringSeconds, (ctx, before) => runTransfer(ctx, body, before)),
      ),
    );
  });

  router.post('/phones/:id/transfer/complete', control, async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(flowLineBodySchema, req.body);
    res.json(
      await audited(req, res, 'calls:transfer_complete', { ...body }, () =>
        request(res, runOn(id, 'transfer', body.line), 'complete', completeTransfer),
      ),
    );
  });

  router.post('/phones/:id/transfer/cancel', control, async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(flowLineBodySchema, req.body);
    res.json(
      await audited(req, res, 'calls:transfer_cancel', { ...body }, () =>
        request(res, runOn(id, 'transfer', body.line), 'cancel', cancelFlow),
      ),
    );
  });

  router.post('/phones/:id/conference', control, async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(conferenceBodySchema, req.body);
    const init = { kind: 'conference' as const, mode: null, line: body.line, number: body.number };
    res.json(
      await audited(req, res, 'calls:conference', { ...body }, () =>
        start(res, id, init, body.ringSeconds, (ctx, before) => runConference(ctx, body, before)),
      ),
    );
  });

  router.post('/phones/:id/conference/end', control, async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(flowLineBodySchema, req.body);
    res.json(
      await audited(req, res, 'calls:conference_end', { ...body }, () =>
        request(res, runOn(id, 'conference', body.line), 'cancel', endConference),
      ),
    );
  });

  router.post('/phones/:id/conference/drop', control, async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(flowLineBodySchema, req.body);
    const run = runOn(id, 'conference', body.line);
    res.json(
      await audited(req, res, 'calls:conference_drop', { ...body }, async () => {
        if (run.busy)
          throw new AppError('rejected', 'The conference is still being set up.', { phoneId: id });
        return { flow: await exclusive(run, () => dropParty(context(run, res), body.line)) };
      }),
    );
  });

  return router;
}
