/**
 * One simulated GRP26xx: a node:http server on its own port (distinct phones have distinct addresses)
 * answering CTI under /cgi-bin/ and the control API under /sim/. State lives in one immutable PhoneState
 * replaced by the pure functions of phone-state.ts; this file does the I/O: sockets, faults, timers,
 * Action URLs. Idle phones own no timers, and line status is served from a cached string, so hundreds
 * of phones fit in one process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { ModelInfo } from '../../cti/src/models.ts';
import type { ForwardSetting, PhoneOperation } from '../../cti/src/protocol.ts';
import type { ActionContext, ActionUrls } from './action-url.ts';
import { ActionUrlSender } from './action-url.ts';
import { ConfirmQueue } from './confirmations.ts';
import { handleControl } from './control-api.ts';
import type { CtiPhone, CtiReply } from './cti-handler.ts';
import { handleCti } from './cti-handler.ts';
import { forwardSetting, setDnd, setForwardSetting } from './desk-settings.ts';
import { streamEndlessBody } from './endless-body.ts';
import type { FaultSpec } from './faults.ts';
import { DEFAULT_DOWN_MS, echoAnswer, FAULT_HTML_PAGE, FaultList, requestEcho, truncate } from './faults.ts';
import type { FirmwareProfile } from './firmware-profile.ts';
import { htmlPage, send } from './http-util.ts';
import type { PhoneOptions, ResolvedOptions, SettingsUpdate } from './options.ts';
import { resolveAccount, resolveOptions, resolveSettings } from './options.ts';
import { PasscodeGuard } from './passcode-guard.ts';
import type { PhoneEvent, PhoneState, PhoneStep, StepContext } from './phone-state.ts';
import {
  createPhoneState,
  farEndAnswer,
  farEndHangup,
  incomingCall,
  phoneOperation,
  phoneStatus,
  setRegistered,
} from './phone-state.ts';
import type { Quirks } from './quirks.ts';
import { envelope, lineStatusBody } from './quirks.ts';
import type { LogEntry } from './request-log.ts';
import { RequestLog } from './request-log.ts';
import type { WebRequest } from './session-login.ts';
import { handleSessionRequest } from './session-login.ts';
import { SessionStore } from './session-store.ts';
import type { Settings } from './settings.ts';
import type { PhoneSnapshot, SimPhone, StepResult } from './sim-phone.ts';
import { BodyTooLarge, readWebRequest } from './web-request.ts';

interface CtiRequest {
  readonly fn: string;
  /** What the log keeps: the query string, or the form of a POST. */
  readonly query: string;
  readonly params: URLSearchParams;
  readonly time: number;
  readonly method: string;
  /** Session firmware: the parsed request session-login.ts answers. */
  readonly web?: WebRequest;
}

const HTML = 'text/html';

export type { PhoneSnapshot, SimPhone, StepResult } from './sim-phone.ts';

class Phone implements SimPhone, CtiPhone {
  state: PhoneState;
  settings: Settings;
  quirks: Quirks;
  readonly guard: PasscodeGuard;
  readonly sessions: SessionStore;
  firmwareProfile: FirmwareProfile;
  port = 0;
  private readonly server = createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: RequestLog;
  private readonly faults = new FaultList();
  private readonly confirms: ConfirmQueue;
  private readonly actionUrl: ActionUrlSender;
  private readonly listeners = new Set<(event: PhoneEvent) => void>();
  private autoAnswerMs: number | undefined;
  private lineCache: string | undefined;
  private callSeq = 0;
  private down = false;
  private downTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: ResolvedOptions) {
    this.state = createPhoneState(options.model.lines, options.accounts, options.behaviour);
    this.settings = options.settings;
    this.quirks = options.quirks;
    this.guard = new PasscodeGuard(options.adminPasscode, options.userPasscode, options.lockoutMs);
    this.firmwareProfile = options.firmwareProfile;
    this.sessions = new SessionStore(options.sessionTtlMs);
    this.log = new RequestLog(options.logSize);
    this.confirms = new ConfirmQueue(options.confirmTimeoutMs);
    this.actionUrl = new ActionUrlSender({ ...options.actionUrls });
    this.autoAnswerMs = options.autoAnswerMs;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Keep-alive clients should not hold hundreds of idle sockets open forever.
    this.server.keepAliveTimeout = 5000;
  }

  get modelInfo(): ModelInfo {
    return this.options.model;
  }
  get model(): string {
    return this.options.model.model;
  }
  get firmware(): string {
    return this.options.firmware;
  }
  get mac(): string {
    return this.options.mac;
  }
  get name(): string {
    return this.options.name;
  }
  get lineCount(): number {
    return this.state.lines.length;
  }
  get host(): string {
    return `${this.options.host}:${this.port}`;
  }
  get url(): string {
    return `http://${this.host}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address && typeof address === 'object') this.port = address.port;
    // Errors after start (a failed re-listen after a reboot) must not crash the process.
    this.server.on('error', () => {});
  }

  // ---- state ----

  context(): StepContext {
    this.callSeq++;
    return { now: Date.now(), callId: `${this.callSeq}-${this.options.mac}@${this.options.host}` };
  }

  commit(step: PhoneStep): void {
    if (step.state !== this.state) {
      this.state = step.state;
      this.lineCache = undefined;
    }
    for (const event of step.events) this.emit(event);
  }

  lineStatusJson(): string {
    this.lineCache ??= envelope(
      'success',
      lineStatusBody(this.state.lines, this.state.selected, this.quirks),
      this.quirks,
    );
    return this.lineCache;
  }

  private emit(event: PhoneEvent): void {
    if (event.kind === 'outgoing' && event.call && this.autoAnswerMs !== undefined) {
      const { index, callId } = event.call;
      this.later(this.autoAnswerMs, () => {
        const line = this.state.lines[index - 1];
        if (line?.state === 'calling' && line.callId === callId) this.farEndAnswer(index);
      });
    }
    if (this.actionUrl.urls[event.kind as keyof ActionUrls]) {
      this.actionUrl.fire(event, this.actionContext(event), this.quirks.rawDisplayNames);
    }
    for (const listener of this.listeners) listener(event);
  }

  private actionContext(event: PhoneEvent): ActionContext {
    const index = event.call?.account ?? event.account ?? this.state.accounts.findIndex((a) => a.registered);
    return {
      phoneIp: this.options.host,
      mac: this.options.mac,
      product: this.model,
      firmware: this.options.firmware,
      account: this.state.accounts[index],
    };
  }

  /** A timer owned by the phone: cleared on close and reboot, never keeping the process alive by itself. */
  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private result(step: PhoneStep): StepResult {
    this.commit(step);
    return { ok: step.ok, line: step.line, reason: step.reason };
  }

  // ---- control actions ----

  ring(number: string, name?: string, account?: number): StepResult {
    const result = this.result(incomingCall(this.state, { number, name, account }, this.context()));
    // What the caller hears when the phone turns them away: busy (DND, every line in use) or the target.
    if (result.reason === 'dnd' || result.reason === 'busy') return { ...result, farEnd: 'busy' };
    if (result.reason === 'forwarded') {
      return { ...result, farEnd: 'forwarded', forwardedTo: forwardSetting(this.state.forward).number };
    }
    return result;
  }

  farEndAnswer(line?: number): StepResult {
    return this.result(farEndAnswer(this.state, line, this.context()));
  }

  farEndHangup(line?: number, options?: { busy?: boolean }): StepResult {
    return this.result(farEndHangup(this.state, line, this.context(), options?.busy));
  }

  operate(cmd: PhoneOperation, line?: number): StepResult {
    return this.result(phoneOperation(this.state, cmd, line, this.context()));
  }

  confirm(accept = true): boolean {
    return this.confirms.answer(accept);
  }

  setDnd(on: boolean): StepResult {
    return this.result(setDnd(this.state, on));
  }

  setForward(setting: ForwardSetting): StepResult {
    return this.result(setForwardSetting(this.state, setting));
  }

  awaitConfirmation(): Promise<boolean> {
    return this.confirms.wait();
  }

  requestLog(): LogEntry[] {
    return this.log.entries();
  }

  clearLog(): void {
    this.log.clear();
  }

  injectFault(fault: FaultSpec): void {
    if (fault.kind === 'down') this.goDown(fault.ms ?? DEFAULT_DOWN_MS);
    else this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  onEvent(listener: (event: PhoneEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  updateSettings(update: SettingsUpdate): void {
    this.settings = resolveSettings(this.settings, update);
    if (update.quirks) this.quirks = { ...this.quirks, ...update.quirks };
    if (update.actionUrls) this.actionUrl.urls = { ...this.actionUrl.urls, ...update.actionUrls };
    if (update.autoAnswerMs !== undefined) this.autoAnswerMs = update.autoAnswerMs ?? undefined;
    if (update.sessionTtlMs !== undefined) this.sessions.ttlMs = update.sessionTtlMs;
    if (update.flowStyle !== undefined || update.consultHangup !== undefined) {
      const behaviour = {
        flowStyle: update.flowStyle ?? this.state.behaviour.flowStyle,
        consultHangup: update.consultHangup ?? this.state.behaviour.consultHangup,
      };
      this.commit({ state: { ...this.state, behaviour }, ok: true, events: [] });
    }
    if (update.firmwareProfile !== undefined && update.firmwareProfile !== this.firmwareProfile) {
      this.firmwareProfile = update.firmwareProfile;
      this.sessions.clear();
    }
    update.accounts?.forEach((patch, i) => {
      if (!patch || i >= this.options.model.accounts) return;
      const current = this.state.accounts[i] ?? resolveAccount({ registered: false }, i, this.options.name);
      const accounts = [...this.state.accounts];
      accounts[i] = { ...current, ...patch, registered: current.registered };
      for (let j = 0; j < i; j++) accounts[j] ??= resolveAccount({ registered: false }, j, this.options.name);
      this.commit({ state: { ...this.state, accounts }, ok: true, events: [] });
      if (patch.registered !== undefined) this.commit(setRegistered(this.state, i, patch.registered));
    });
    this.lineCache = undefined;
  }

  snapshot(): PhoneSnapshot {
    const s = this.state;
    return {
      name: this.name,
      model: this.model,
      firmware: this.options.firmware,
      firmwareProfile: this.firmwareProfile,
      sessionTtlMs: this.sessions.ttlMs,
      mac: this.options.mac,
      url: this.url,
      down: this.down,
      status: phoneStatus(s),
      lines: s.lines.map((l) => ({ ...l })),
      selected: s.selected,
      dnd: s.dnd,
      forward: { ...s.forward },
      locked: s.locked,
      muted: s.muted,
      speaker: s.speaker,
      headset: s.headset,
      volume: s.volume,
      dialBuffer: s.dialBuffer,
      xfer: s.xfer ? { ...s.xfer } : null,
      transfers: [...s.transfers],
      conference: s.conference,
      consult: s.consult ? { ...s.consult } : null,
      flowStyle: s.behaviour.flowStyle,
      consultHangup: s.behaviour.consultHangup,
      accounts: [...s.accounts],
      settings: { ...this.settings, allowedIps: [...this.settings.allowedIps] },
      quirks: { ...this.quirks, ignoredConfigWrites: [...this.quirks.ignoredConfigWrites] },
      faults: this.faults.list(),
      passcode: this.guard.state,
      session: { ...this.sessions.counters, active: this.sessions.active(Date.now()) },
      pendingConfirmations: this.confirms.size,
      autoAnswerMs: this.autoAnswerMs ?? null,
      actionUrls: { ...this.actionUrl.urls },
      actionUrlStats: { ...this.actionUrl.stats },
    };
  }

  // ---- reboot, down ----

  reboot(): void {
    this.restart(false);
  }

  /** Factory reset: back to the options the phone was started with, then a reboot. */
  reset(): void {
    this.settings = this.options.settings;
    this.quirks = this.options.quirks;
    this.actionUrl.urls = { ...this.options.actionUrls };
    this.autoAnswerMs = this.options.autoAnswerMs;
    this.firmwareProfile = this.options.firmwareProfile;
    this.sessions.ttlMs = this.options.sessionTtlMs;
    this.faults.clear();
    this.restart(true);
  }

  private restart(factory: boolean): void {
    this.confirms.clear();
    this.clearTimers();
    this.guard.reset();
    this.sessions.clear();
    const fresh = createPhoneState(
      this.lineCount,
      factory ? this.options.accounts : this.state.accounts,
      factory ? this.options.behaviour : this.state.behaviour,
    );
    // Forward is configuration and survives a reboot; DND and calls are runtime state and do not.
    this.state = factory ? fresh : { ...fresh, forward: this.state.forward };
    this.lineCache = undefined;
    this.goDown(this.options.rebootMs, () => {
      // Booted: the accounts register again, which the Action URL announces.
      this.state.accounts.forEach((a, i) => {
        if (a.registered) this.emit({ kind: 'registered', duration: 0, account: i });
      });
    });
  }

  /**
   * Down = not listening: new connections are refused (ECONNREFUSED) and open ones are dropped, which is
   * what a client sees from a phone that is off or rebooting.
   */
  private goDown(ms: number, onBack?: () => void): void {
    this.down = true;
    clearTimeout(this.downTimer);
    if (this.server.listening) this.server.close();
    for (const socket of this.sockets) socket.destroy();
    this.downTimer = setTimeout(() => this.comeBack(onBack), ms);
  }

  private comeBack(onBack?: () => void): void {
    if (this.closed) return;
    const retry = () => {
      if (!this.closed) this.downTimer = setTimeout(() => this.comeBack(onBack), 100);
    };
    this.server.once('error', retry);
    this.server.listen(this.port, this.options.host, () => {
      this.server.off('error', retry);
      this.down = false;
      this.downTimer = undefined;
      onBack?.();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.downTimer);
    this.clearTimers();
    this.confirms.clear();
    this.actionUrl.close();
    this.listeners.clear();
    const closing = this.server.listening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closing;
  }

  // ---- HTTP ----

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/cgi-bin/')) {
      this.handleCtiRequest(req, res, path.slice(9), q < 0 ? '' : url.slice(q + 1));
    } else if (this.options.controlApi && (path === '/sim' || path.startsWith('/sim/'))) {
      void handleControl(this, req, res, path);
    } else {
      send(res, 404, 'text/html', htmlPage(404, 'Not Found'));
    }
  }

  private handleCtiRequest(req: IncomingMessage, res: ServerResponse, fn: string, query: string): void {
    const time = Date.now();
    const method = req.method ?? 'GET';
    if (this.firmwareProfile === 'session') {
      void this.handleWebRequest(req, res, fn, query, time);
      return;
    }
    this.serve(req, res, { fn, query, params: new URLSearchParams(query), time, method });
  }

  /** Session firmware reads forms and cookies: the request is parsed before it is answered. */
  private async handleWebRequest(
    req: IncomingMessage,
    res: ServerResponse,
    fn: string,
    query: string,
    time: number,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    let web: WebRequest;
    try {
      web = await readWebRequest(req, fn, query);
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      const status = tooLarge ? 413 : 400;
      const reply = {
        status,
        contentType: HTML,
        body: htmlPage(status, tooLarge ? 'Payload Too Large' : 'Bad Request'),
        // The rest of the body is not read: the connection cannot be reused.
        headers: { Connection: 'close' },
      };
      this.reply(req, res, { fn, query, params: new URLSearchParams(), time, method }, reply);
      return;
    }
    const logged = method === 'POST' ? web.body : query;
    this.serve(req, res, { fn, query: logged, params: web.params, time, method, web });
  }

  private serve(req: IncomingMessage, res: ServerResponse, cti: CtiRequest): void {
    if (!this.faults.empty) {
      void this.handleFaulty(req, res, cti);
      return;
    }
    const reply = this.answer(req, cti);
    if (reply instanceof Promise) void reply.then((r) => this.reply(req, res, cti, r));
    else this.reply(req, res, cti, reply);
  }

  private answer(req: IncomingMessage, cti: CtiRequest): CtiReply | Promise<CtiReply> {
    if (cti.web) return handleSessionRequest(this, cti.web, cti.time);
    return handleCti(this, cti.fn, cti.params, req.socket.remoteAddress, cti.time);
  }

  private reply(
    req: IncomingMessage,
    res: ServerResponse,
    cti: CtiRequest,
    reply: CtiReply,
    fault?: string,
    body = reply.body,
  ): void {
    if (reply.drop) {
      this.log.add(cti.time, cti.fn, cti.query, 'reset', fault, cti.method);
      req.socket.destroy();
      reply.after?.();
      return;
    }
    this.log.add(cti.time, cti.fn, cti.query, reply.status, fault, cti.method);
    if (res.destroyed || this.closed) return;
    if (reply.after) res.once('finish', reply.after);
    send(res, reply.status, reply.contentType, body, reply.headers);
  }

  private async handleFaulty(req: IncomingMessage, res: ServerResponse, cti: CtiRequest): Promise<void> {
    const plan = this.faults.take(cti.fn);
    const fault = plan.kinds.join('+') || undefined;
    if (plan.delayMs > 0) await new Promise<void>((resolve) => this.later(plan.delayMs, resolve));
    if (this.closed) return;
    switch (plan.outcome) {
      case 'hang':
        // Left open on purpose; close() and goDown() destroy the socket.
        this.log.add(cti.time, cti.fn, cti.query, 'hang', fault, cti.method);
        return;
      case 'reset':
        this.log.add(cti.time, cti.fn, cti.query, 'reset', fault, cti.method);
        req.socket.destroy();
        return;
      case 'endless':
        this.log.add(cti.time, cti.fn, cti.query, 200, fault, cti.method);
        streamEndlessBody(res, this.quirks.contentType);
        return;
      case 'echo':
        // Logins and the config API answer as usual: only the CTI functions echo.
        if (cti.fn.startsWith('api-')) {
          this.reply(req, res, cti, await this.echoReply(req, cti), fault);
          return;
        }
        break;
      case 'http500':
        this.reply(
          req,
          res,
          cti,
          { status: 500, contentType: HTML, body: htmlPage(500, 'Internal Server Error') },
          fault,
        );
        return;
      case 'html':
        this.reply(req, res, cti, { status: 200, contentType: HTML, body: FAULT_HTML_PAGE }, fault);
        return;
    }
    const reply = await this.answer(req, cti);
    const body = plan.outcome === 'truncated' ? truncate(reply.body) : reply.body;
    this.reply(req, res, cti, reply, fault, body);
  }

  /** A read's answer (when the phone accepted it) with the request echoed in; a command does not run. */
  private async echoReply(req: IncomingMessage, cti: CtiRequest): Promise<CtiReply> {
    const echo = requestEcho(cti.params, req.headers.cookie);
    if (!cti.fn.startsWith('api-get_')) {
      return { status: 200, contentType: this.quirks.contentType, body: echoAnswer(echo) };
    }
    const read = await this.answer(req, cti);
    if (read.status !== 200 || !read.body.startsWith('{')) return read;
    return { ...read, body: echoAnswer(echo, read.body) };
  }
}

export async function startPhone(options: PhoneOptions = {}): Promise<SimPhone> {
  const phone = new Phone(resolveOptions(options));
  await phone.listen();
  return phone;
}
