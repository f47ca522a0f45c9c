/**
 * The one CTI client of a phone, as the registry hands it to polls, commands, the diagnosis and the
 * passthrough (one client, so one web session per phone). It wraps the real client with two rules:
 * - the auth stop: once the phone refuses the credential (any `auth_failed`), nothing sends it again,
 *   whoever asks, until the credential changes (the registry builds a new PhoneClient) or an admin runs
 *   Test connection (`test()`: exactly one attempt). Newer firmware locks the account after 5 failures.
 * - `detect`: the first contact tries the passcode once; only a bare 401/403 (what session-only firmware
 *   answers to a passcode) leads to one session login. What worked is reported through `onLearned`.
 * Every method must run inside the phone's queue: detection sends requests of its own.
 */
import { createHash } from 'node:crypto';
import type { PhoneAuthChoice } from '@linedeck/contract';
import type {
  AuthFailure,
  AuthScheme,
  CommandResult,
  CtiClient,
  CtiFunction,
  Envelope,
  ForwardSetting,
  PhoneStatus,
  RawResponse,
  SysRequest,
} from '@linedeck/cti';
import { AppError, authFailureOf, authMessage, isCtiError } from '../errors.ts';
import { phoneScrubber, type Scrub, scrubError } from '../phone-strings.ts';

export interface PhoneClientOptions {
  phoneId: string;
  choice: PhoneAuthChoice;
  /** Builds the real client for one scheme (username and secret are bound by the registry). */
  build: (scheme: AuthScheme) => CtiClient;
  /** An auth stop began: the poller stops and the state says what the phone said. */
  onAuthStop: (message: string, auth: AuthFailure) => void;
  /** What contact taught: the scheme `detect` settled on, the firmware the login reported. */
  onLearned: (learned: { auth?: AuthScheme; firmware?: string }) => void;
  /** The client had to log in again: the phone ended the session (someone logged in elsewhere?). */
  onRenewed: (renewals: number) => void;
  /** The record's firmware, so an unchanged version is not written again. */
  firmware: string | null;
  /** The phone's secrets held outside the client (passcode, hook token): scrubbed from its strings. */
  secrets?: () => readonly string[];
}

/** Answers to a passcode that session-only firmware gives: worth one login, not a real refusal. */
const BARE_REFUSALS: ReadonlySet<AuthFailure['reason']> = new Set(['refused', 'unauthorized']);

export interface AuthStop {
  message: string;
  auth: AuthFailure;
}

export class PhoneClient implements CtiClient {
  readonly host: string;
  private current: CtiClient | undefined;
  /** One real client per scheme tried (`detect` may try both), all closed with this one. */
  private readonly built = new Map<AuthScheme, CtiClient>();
  private stop: AuthStop | undefined;
  private detecting: Promise<CtiClient> | undefined;
  /** `detect` saw the passcode get a bare refusal: the next detection goes straight to the login. */
  private sessionHint = false;
  private firmware: string | null;
  /** A hash of the session id last seen (never the id itself), to notice a new login. */
  private sessionMark: string | undefined;
  private renewals = 0;
  private closed = false;
  /** The live sid, kept only to scrub it from what the phone says (an echo of the request). */
  private sid: string | undefined;
  /** Every string from the phone passes here before anyone else sees it (phone-strings.ts). */
  readonly scrub: Scrub;

  constructor(private readonly options: PhoneClientOptions) {
    this.scrub = phoneScrubber(() => [...(options.secrets?.() ?? []), this.sid]);
    this.firmware = options.firmware;
    if (options.choice !== 'detect') this.current = this.make(options.choice);
    this.host = (this.current ?? this.make('passcode')).host;
  }

  /** The scheme in use; `passcode` while `detect` has not settled. */
  get scheme(): AuthScheme {
    return this.current?.scheme ?? (this.options.choice === 'session' ? 'session' : 'passcode');
  }

  /** Set while the phone's refusal stops everything. */
  get authStop(): AuthStop | undefined {
    return this.stop;
  }

  /** The error every caller gets during an auth stop, before anything is sent. */
  stoppedError(): AppError | undefined {
    if (!this.stop) return undefined;
    return new AppError(
      'phone_auth_failed',
      `${this.stop.message} Nothing is sent to the phone until the credential changes or Test connection runs.`,
      { phoneId: this.options.phoneId, auth: this.stop.auth },
    );
  }

  /**
   * Test connection: lifts an auth stop for exactly one attempt (phone status; a `detect` phone's
   * detection). A refusal stops again; a failure that proves nothing (unreachable) keeps the old stop.
   */
  async test(): Promise<PhoneStatus> {
    const before = this.stop;
    this.stop = undefined;
    try {
      return await this.run((c) => c.getPhoneStatus());
    } catch (err) {
      if (!this.stop && before) this.stop = before;
      throw err;
    }
  }

  getLineStatus() {
    return this.run((c) => c.getLineStatus());
  }
  getPhoneStatus() {
    return this.run((c) => c.getPhoneStatus());
  }
  getAccounts() {
    return this.run((c) => c.getAccounts());
  }
  phoneOperation(...args: Parameters<CtiClient['phoneOperation']>): Promise<CommandResult> {
    return this.run((c) => c.phoneOperation(...args));
  }
  makeCall(...args: Parameters<CtiClient['makeCall']>): Promise<CommandResult> {
    return this.run((c) => c.makeCall(...args));
  }
  sendKeys(keys: readonly string[] | string): Promise<CommandResult> {
    return this.run((c) => c.sendKeys(keys));
  }
  /** RESET needs the admin password: a bare refusal of it says nothing about the stored one. */
  sysOperation(request: SysRequest): Promise<CommandResult> {
    return this.run((c) => c.sysOperation(request), {
      stopsOn: (auth) => !(request === 'RESET' && auth.reason === 'refused'),
    });
  }
  getConfig(keys: readonly string[]) {
    return this.run((c) => c.getConfig(keys));
  }
  setConfig(values: Readonly<Record<string, string>>) {
    return this.run((c) => c.setConfig(values));
  }
  getDnd() {
    return this.run((c) => c.getDnd());
  }
  setDnd(on: boolean) {
    return this.run((c) => c.setDnd(on));
  }
  getForward() {
    return this.run((c) => c.getForward());
  }
  setForward(setting: ForwardSetting) {
    return this.run((c) => c.setForward(setting));
  }
  getClickToDial() {
    return this.run((c) => c.getClickToDial());
  }
  async authorizeRequest() {
    // Not scrubbed: it is the credential itself, for the passthrough to send.
    const authorization = await this.run((c) => c.authorizeRequest(), { raw: true });
    if (authorization.params.sid) this.sid = authorization.params.sid;
    return authorization;
  }

  /**
   * The passthrough's answer, read as the client's own calls are. An ended session is not a stop: the
   * client dropped it and the next request logs in once (a person opening the web UI kicks us out).
   */
  readAnswer(fn: CtiFunction, raw: RawResponse): Envelope {
    const client = this.current;
    if (!client) throw new Error('readAnswer before authorizeRequest');
    try {
      return this.scrub(client.readAnswer(fn, raw));
    } catch (err) {
      scrubError(err, this.scrub);
      if (isAuthFailure(err) && authFailureOf(err).reason !== 'session_expired') this.trip(err);
      throw err;
    }
  }

  info() {
    return this.scrub(this.current?.info() ?? { firmware: null, mac: null });
  }

  /**
   * Ends the session (dologout) of every client this one built; never throws. Afterwards nothing is sent
   * (a closed session client would log in again): the phone was removed or has a new credential.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.built.values()].map((c) => c.close().catch(() => {})));
  }

  toJSON() {
    return { host: this.host };
  }

  private make(scheme: AuthScheme): CtiClient {
    let client = this.built.get(scheme);
    if (!client) {
      client = this.options.build(scheme);
      this.built.set(scheme, client);
    }
    return client;
  }

  private async run<T>(
    task: (client: CtiClient) => Promise<T>,
    rules: { stopsOn?: (auth: AuthFailure) => boolean; raw?: boolean } = {},
  ): Promise<T> {
    if (this.closed) {
      throw new AppError(
        'unreachable',
        'The phone was removed or its address or credential changed while this request waited: send it again.',
        { phoneId: this.options.phoneId },
      );
    }
    const stopped = this.stoppedError();
    if (stopped) throw stopped;
    try {
      const client = this.current ?? (await this.detect());
      const result = await task(client);
      if (client.scheme === 'session') await this.noteSession(client);
      this.noteFirmware(client);
      return rules.raw ? result : this.scrub(result);
    } catch (err) {
      scrubError(err, this.scrub);
      if (isAuthFailure(err) && (rules.stopsOn?.(authFailureOf(err)) ?? true)) this.trip(err);
      throw err;
    }
  }

  private detect(): Promise<CtiClient> {
    this.detecting ??= this.detectOnce().finally(() => {
      this.detecting = undefined;
    });
    return this.detecting;
  }

  /** One passcode try, then (bare refusal only) one login. Throws what stops, or what proves nothing. */
  private async detectOnce(): Promise<CtiClient> {
    let passcodeRefusal: unknown;
    if (!this.sessionHint) {
      const passcode = this.make('passcode');
      try {
        await passcode.getPhoneStatus();
        return this.settle(passcode);
      } catch (err) {
        // Unreachable, timeout...: nothing was refused, a later contact tries again.
        if (!isAuthFailure(err)) throw err;
        if (!BARE_REFUSALS.has(authFailureOf(err).reason)) throw err;
        passcodeRefusal = err;
      }
    }
    const session = this.make('session');
    try {
      await session.getPhoneStatus();
      return this.settle(session);
    } catch (err) {
      if (isCtiError(err) && (err.code === 'unreachable' || err.code === 'timeout')) {
        // The passcode was refused barely; the login never arrived: the next contact logs in only.
        this.sessionHint = true;
        throw err;
      }
      if (isAuthFailure(err)) {
        this.sessionHint = true;
        throw err;
      }
      // No login on this phone (404, not JSON): the passcode was simply refused.
      this.sessionHint = false;
      throw passcodeRefusal ?? err;
    }
  }

  private settle(client: CtiClient): CtiClient {
    this.current = client;
    const firmware = this.scrub(client.info().firmware);
    if (firmware) this.firmware = firmware;
    this.options.onLearned({ auth: client.scheme, ...(firmware ? { firmware } : {}) });
    return client;
  }

  private noteFirmware(client: CtiClient): void {
    const firmware = this.scrub(client.info().firmware);
    if (!firmware || firmware === this.firmware) return;
    this.firmware = firmware;
    this.options.onLearned({ firmware });
  }

  /**
   * The client renews an ended session by itself (one login); the server says so in its log. With a
   * live session `authorizeRequest` sends nothing: it hands out the current sid, compared by hash.
   */
  private async noteSession(client: CtiClient): Promise<void> {
    const sid = (await client.authorizeRequest()).params.sid;
    if (!sid) return;
    this.sid = sid;
    const mark = createHash('sha256').update(sid).digest('base64url');
    if (this.sessionMark !== undefined && mark !== this.sessionMark) this.options.onRenewed(++this.renewals);
    this.sessionMark = mark;
  }

  private trip(err: Parameters<typeof authFailureOf>[0]): void {
    const auth = authFailureOf(err);
    const message = authMessage(auth);
    this.stop = { message, auth };
    this.options.onAuthStop(message, auth);
  }
}

function isAuthFailure(err: unknown): err is Parameters<typeof authFailureOf>[0] {
  return isCtiError(err) && err.code === 'auth_failed';
}
