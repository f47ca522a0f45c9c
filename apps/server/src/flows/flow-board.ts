/**
 * The flows in progress, one per phone: who may start one (a second is refused while the first runs),
 * and the visible state every page sees (StateCache.applyFlow, so SSE carries each step). A finished
 * flow stays visible for `lingerMs` (the console shows "Transferred" or why not), then goes.
 */
import {
  type CallFlow,
  FINISHED_FLOW_STAGES,
  type FlowFailureReason,
  type FlowKind,
  type TransferMode,
} from '@linedeck/contract';
import { AppError } from '../errors.ts';
import type { StateCache } from '../phones/state-cache.ts';

/** What the person asked for while a step was running: the running step acts on it at its next read. */
export type FlowRequest = 'cancel' | 'complete' | null;

export interface FlowRun {
  flow: CallFlow;
  readonly phoneId: string;
  /** The call's line state when the flow started, to restore it on failure. */
  readonly initialState: string;
  request: FlowRequest;
  /** Set while a request works on the flow (the POST waiting for an answer, a complete, a cancel). */
  busy: Promise<unknown> | null;
}

const WHAT: Record<FlowKind, string> = { transfer: 'A transfer', conference: 'A conference' };

export class FlowBoard {
  private readonly runs = new Map<string, FlowRun>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private seq = 0;

  constructor(
    private readonly cache: StateCache,
    private readonly lingerMs: number,
  ) {}

  /** The phone's flow that is still going (finished ones only linger on screen). */
  active(phoneId: string): FlowRun | undefined {
    const run = this.runs.get(phoneId);
    return run && !isFinished(run.flow) ? run : undefined;
  }

  /** One flow per phone: a second is refused (409) while the first is still going. */
  refuseIfBusy(phoneId: string): void {
    const current = this.active(phoneId);
    if (!current) return;
    const { flow } = current;
    const by = flow.startedBy ? ` (started by ${flow.startedBy})` : '';
    throw new AppError(
      'rejected',
      `${WHAT[flow.kind]} to ${flow.number} is already under way on this phone${by}: finish or cancel it first.`,
      { phoneId },
    );
  }

  start(
    phoneId: string,
    init: {
      kind: FlowKind;
      mode: TransferMode | null;
      line: number;
      number: string;
      startedBy: string | null;
      initialState: string;
    },
  ): FlowRun {
    this.refuseIfBusy(phoneId);
    clearTimeout(this.timers.get(phoneId));
    const at = new Date().toISOString();
    const run: FlowRun = {
      phoneId,
      initialState: init.initialState,
      request: null,
      busy: null,
      flow: {
        id: `${Date.now().toString(36)}-${++this.seq}`,
        kind: init.kind,
        mode: init.mode,
        line: init.line,
        number: init.number,
        consultLine: null,
        conferenceLines: [],
        stage: 'holding',
        startedAt: at,
        updatedAt: at,
        startedBy: init.startedBy,
        reason: null,
        message: null,
      },
    };
    this.runs.set(phoneId, run);
    this.publish(run);
    return run;
  }

  update(run: FlowRun, patch: Partial<Omit<CallFlow, 'id' | 'kind' | 'startedAt'>>): CallFlow {
    // A run replaced by a newer one (after it lingered) must not write over the newer one's state.
    if (this.runs.get(run.phoneId) !== run) return run.flow;
    run.flow = { ...run.flow, ...patch, updatedAt: new Date().toISOString() };
    this.publish(run);
    return run.flow;
  }

  fail(run: FlowRun, reason: FlowFailureReason, message: string): CallFlow {
    return this.update(run, { stage: 'failed', reason, message });
  }

  /** Runs flows waiting for the person (talking, joined) past what the phone now shows. */
  watching(): FlowRun[] {
    return [...this.runs.values()].filter((r) => !isFinished(r.flow) && r.busy === null);
  }

  private publish(run: FlowRun): void {
    this.cache.applyFlow(run.phoneId, run.flow);
    if (!isFinished(run.flow)) return;
    clearTimeout(this.timers.get(run.phoneId));
    const timer = setTimeout(() => {
      this.timers.delete(run.phoneId);
      if (this.runs.get(run.phoneId) !== run) return;
      this.runs.delete(run.phoneId);
      this.cache.applyFlow(run.phoneId, null);
    }, this.lingerMs);
    timer.unref();
    this.timers.set(run.phoneId, timer);
  }
}

export function isFinished(flow: CallFlow): boolean {
  return FINISHED_FLOW_STAGES.includes(flow.stage);
}
