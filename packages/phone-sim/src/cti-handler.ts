/**
 * The `/cgi-bin/api-*` functions with the guide's exact answers (shared/docs/grp26xx-cti-guide.md) and the
 * access rules around them, in the order a phone applies them: unknown function 404, CTI disabled or
 * caller not allowed 403, lockout, passcode 401 (or `wrongN` on wrongN firmware; the session's role on
 * session firmware, resolved by session-login.ts), pop-up confirmation, then the function.
 * HTTP-free: it takes the parsed request and returns the reply, so phone.ts owns sockets and faults.
 */
import type { ModelInfo } from '../../cti/src/models.ts';
import type { CtiFunction, PhoneOperation } from '../../cti/src/protocol.ts';
import { CTI_FUNCTIONS, isValidKey, PHONE_OPERATIONS } from '../../cti/src/protocol.ts';
import type { FirmwareProfile } from './firmware-profile.ts';
import { htmlPage } from './http-util.ts';
import { pressKey } from './keypad.ts';
import type { PasscodeGuard } from './passcode-guard.ts';
import { wrongPasscodeAnswer } from './passcode-guard.ts';
import type { PhoneState, PhoneStep, StepContext } from './phone-state.ts';
import { makeCall, phoneOperation, phoneStatus } from './phone-state.ts';
import type { Quirks } from './quirks.ts';
import { accountsBody, envelope } from './quirks.ts';
import type { Settings } from './settings.ts';
import { ipAllowed } from './settings.ts';

export interface CtiReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** Extra response headers (dologin's Set-Cookie). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Runs once the answer is on its way (REBOOT goes down after saying `savereboot`). */
  readonly after?: () => void;
  /** Destroy the connection instead of answering, then run `after` (quirk rebootDropsConnection). */
  readonly drop?: boolean;
}

/** What the handler needs from the phone. */
export interface CtiPhone {
  readonly state: PhoneState;
  readonly settings: Settings;
  readonly quirks: Quirks;
  readonly modelInfo: ModelInfo;
  readonly guard: PasscodeGuard;
  readonly firmwareProfile: FirmwareProfile;
  context(): StepContext;
  commit(step: PhoneStep): void;
  /** The cached api-get_line_status answer. */
  lineStatusJson(): string;
  /** Waits for a confirmation at the handset; false when refused or timed out. */
  awaitConfirmation(): Promise<boolean>;
  reboot(): void;
  reset(): void;
}

const FUNCTIONS = new Set<string>(CTI_FUNCTIONS);
const COMMANDS = new Set<CtiFunction>([
  'api-phone_operation',
  'api-make_call',
  'api-send_key',
  'api-sys_operation',
]);
const HTML = 'text/html';

export function page(status: number, title: string): CtiReply {
  return { status, contentType: HTML, body: htmlPage(status, title) };
}

export function json(
  phone: Pick<CtiPhone, 'quirks'>,
  response: 'success' | 'error',
  body: unknown,
  extra?: Record<string, unknown>,
) {
  return {
    status: 200,
    contentType: phone.quirks.contentType,
    body: envelope(response, body, phone.quirks, extra),
  };
}

export function handleCti(
  phone: CtiPhone,
  fn: string,
  params: URLSearchParams,
  remoteIp: string | undefined,
  now: number,
  /** Session firmware: the role of the request's live sid, null without one. */
  sessionRole?: 'admin' | 'user' | null,
): CtiReply | Promise<CtiReply> {
  if (!FUNCTIONS.has(fn)) return page(404, 'Not Found');
  if (!phone.settings.ctiEnabled || !ipAllowed(phone.settings.allowedIps, remoteIp))
    return page(403, 'Forbidden');
  const role = authenticate(phone, params, now, sessionRole ?? null);
  if (typeof role === 'object') return role;
  const func = fn as CtiFunction;
  if (!COMMANDS.has(func)) return read(phone, func);
  const invalid = validate(phone, func, params, role);
  if (invalid) return invalid;
  if (!phone.settings.popupConfirmation) return command(phone, func, params);
  return phone
    .awaitConfirmation()
    .then((ok) => (ok ? command(phone, func, params) : json(phone, 'error', 'failed')));
}

/** The caller's role, or the answer that refuses it, in the dialect of the phone's firmware. */
function authenticate(
  phone: CtiPhone,
  params: URLSearchParams,
  now: number,
  sessionRole: 'admin' | 'user' | null,
): 'admin' | 'user' | CtiReply {
  // Session firmware takes no passcode: a passcode without a live sid is refused and counts for nothing.
  if (phone.firmwareProfile === 'session') return sessionRole ?? page(401, 'Unauthorized');
  const role = phone.guard.check(params.get('passcode'), now);
  if (role === 'admin' || role === 'user') return role;
  if (phone.firmwareProfile === 'passcode-wrongn') {
    const answer = wrongPasscodeAnswer(phone.guard, now);
    return json(phone, 'error', answer.body, answer.extra);
  }
  return role === 'locked' ? json(phone, 'error', 'locked') : page(401, 'Unauthorized');
}

function read(phone: CtiPhone, fn: CtiFunction): CtiReply {
  switch (fn) {
    case 'api-get_line_status':
      return { status: 200, contentType: phone.quirks.contentType, body: phone.lineStatusJson() };
    case 'api-get_phone_status':
      return json(phone, 'success', phoneStatus(phone.state), { misc: '0' });
    default:
      return json(
        phone,
        'success',
        accountsBody(phone.state.accounts, phone.modelInfo.accounts, phone.quirks),
      );
  }
}

/** Refusals that need no handset: the phone would not even show the pop-up for these. */
function validate(phone: CtiPhone, fn: CtiFunction, params: URLSearchParams, role: 'admin' | 'user') {
  switch (fn) {
    case 'api-phone_operation': {
      const cmd = params.get('cmd') ?? '';
      const arg = params.get('arg');
      const known = (PHONE_OPERATIONS as readonly string[]).includes(cmd);
      return known && (arg === null || parseLine(arg, phone) !== undefined)
        ? undefined
        : json(phone, 'error', false);
    }
    case 'api-send_key': {
      const keys = (params.get('keys') ?? '').split(':');
      return keys.every(isValidKey) ? undefined : json(phone, 'error', 'unknown');
    }
    case 'api-sys_operation': {
      const request = params.get('request');
      if (request !== 'REBOOT' && request !== 'RESET') return json(phone, 'error', 'unknown');
      // The guide: "The Reset Command requires the Admin level password". A valid user passcode does not
      // count towards the lockout, but the phone answers as for a wrong one.
      return request === 'RESET' && role !== 'admin' ? page(401, 'Unauthorized') : undefined;
    }
    default:
      return undefined;
  }
}

function parseLine(arg: string, phone: CtiPhone): number | undefined {
  const line = Number(arg);
  return /^\d+$/.test(arg) && line >= 1 && line <= phone.state.lines.length ? line : undefined;
}

function command(phone: CtiPhone, fn: CtiFunction, params: URLSearchParams): CtiReply {
  switch (fn) {
    case 'api-phone_operation': {
      const cmd = params.get('cmd') as PhoneOperation;
      const arg = params.get('arg');
      const step = phoneOperation(phone.state, cmd, arg === null ? undefined : Number(arg), phone.context());
      phone.commit(step);
      return step.ok ? json(phone, 'success', true) : json(phone, 'error', false);
    }
    case 'api-make_call':
      return makeCallCommand(phone, params);
    case 'api-send_key': {
      for (const key of (params.get('keys') ?? '').split(':')) {
        phone.commit(pressKey(phone.state, key, phone.context()));
      }
      return json(phone, 'success', 'complete');
    }
    default: {
      const reboot = params.get('request') === 'REBOOT';
      const reply = json(phone, 'success', reboot ? 'savereboot' : 'reset');
      const drop = reboot && phone.quirks.rebootDropsConnection;
      return { ...reply, drop, after: reboot ? () => phone.reboot() : () => phone.reset() };
    }
  }
}

function makeCallCommand(phone: CtiPhone, params: URLSearchParams): CtiReply {
  if (!phone.settings.clickToDial) return json(phone, 'error', 'Invalid Request');
  const accountParam = params.get('account');
  const account = accountParam === null || accountParam === '' ? undefined : Number(accountParam);
  if (account !== undefined && !(Number.isInteger(account) && account >= 0)) {
    return json(phone, 'error', 'Invalid Request');
  }
  const step = makeCall(phone.state, params.get('phonenumber') ?? '', account, phone.context());
  if (step.ok && phone.quirks.silentMakeCall) return json(phone, 'success', true);
  if (!step.ok) {
    // A busy phone with every line in use refuses differently from a bad request.
    return json(phone, 'error', step.reason === 'no idle line' ? 'failed' : 'Invalid Request');
  }
  phone.commit(step);
  return json(phone, 'success', true);
}
