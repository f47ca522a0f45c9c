/**
 * The control API under /sim/ on the phone's own port: what the far end, the person at the desk and a test
 * can do to the phone. Never asks for a passcode (it is not the phone's API, it is the world around it);
 * switched off with `controlApi: false`. Faults never apply here, so they can always be cleared.
 *
 *   POST   /sim/ring      {number, name?, account?}  a caller rings the first idle line -> {ok, line}
 *   POST   /sim/answer    {line?}                    the far end answers an outgoing call
 *   POST   /sim/hangup    {line?, busy?}             the far end hangs up / a ringing caller gives up
 *   POST   /sim/operate   {cmd, line?}               the person at the desk (endcall, acceptcall, ...)
 *   POST   /sim/confirm   {accept?}                  confirms the oldest command waiting for the pop-up
 *   POST   /sim/dnd       {on}                       the person at the desk switches DND
 *   POST   /sim/forward   {mode, number?}            the person at the desk sets call forward
 *   GET    /sim/state                                the whole state
 *   GET    /sim/log       DELETE /sim/log            the CTI request log (passcodes redacted)
 *   POST   /sim/faults    {kind, ms?, times?}        DELETE /sim/faults
 *   PATCH  /sim/settings  {ctiEnabled?, allowedIps?, popupConfirmation?, clickToDial?, quirks?, accounts?,
 *                          actionUrls?, autoAnswerMs?, firmwareProfile?, sessionTtlMs?, flowStyle?,
 *                          consultHangup?}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PhoneOperation } from '../../cti/src/protocol.ts';
import { isValidPhoneNumber, PHONE_OPERATIONS } from '../../cti/src/protocol.ts';
import { ACTION_EVENTS } from './action-url.ts';
import { isForwardMode } from './desk-settings.ts';
import type { FaultSpec } from './faults.ts';
import { parseFault } from './faults.ts';
import { FIRMWARE_PROFILES, isFirmwareProfile } from './firmware-profile.ts';
import { readJson, sendJson } from './http-util.ts';
import type { SettingsUpdate } from './options.ts';
import type { SimPhone, StepResult } from './phone.ts';
import { CONSULT_HANGUPS, FLOW_STYLES } from './phone-state.ts';
import { quirkProblem } from './quirks.ts';

class BadRequest extends Error {}

function optionalLine(body: Record<string, unknown>): number | undefined {
  const { line } = body;
  if (line === undefined || line === null) return undefined;
  if (typeof line !== 'number' || !Number.isInteger(line) || line < 1)
    throw new BadRequest('line must be >= 1');
  return line;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${key} must be a string`);
  return value;
}

function stepReply(res: ServerResponse, result: StepResult): void {
  sendJson(res, result.ok ? 200 : 409, result);
}

const BOOLEAN_SETTINGS = ['ctiEnabled', 'popupConfirmation', 'clickToDial'] as const;

/** Checks the shape of PATCH /sim/settings; unknown keys are refused so typos do not pass silently. */
export function parseSettingsUpdate(body: Record<string, unknown>): SettingsUpdate {
  const allowed = new Set<string>([
    ...BOOLEAN_SETTINGS,
    'allowedIps',
    'quirks',
    'accounts',
    'actionUrls',
    'autoAnswerMs',
    'firmwareProfile',
    'sessionTtlMs',
    'flowStyle',
    'consultHangup',
  ]);
  for (const key of Object.keys(body)) if (!allowed.has(key)) throw new BadRequest(`unknown setting ${key}`);
  for (const key of BOOLEAN_SETTINGS) {
    if (body[key] !== undefined && typeof body[key] !== 'boolean')
      throw new BadRequest(`${key} must be a boolean`);
  }
  const { allowedIps, quirks, accounts, actionUrls, autoAnswerMs, firmwareProfile, sessionTtlMs } = body;
  if (allowedIps !== undefined && typeof allowedIps !== 'string') {
    if (!Array.isArray(allowedIps) || !allowedIps.every((ip) => typeof ip === 'string')) {
      throw new BadRequest('allowedIps must be a list of addresses or "any"');
    }
  }
  if (quirks !== undefined) {
    if (typeof quirks !== 'object' || quirks === null) throw new BadRequest('quirks must be an object');
    for (const [key, value] of Object.entries(quirks)) {
      const problem = quirkProblem(key, value);
      if (problem) throw new BadRequest(problem);
    }
  }
  if (accounts !== undefined && !Array.isArray(accounts)) throw new BadRequest('accounts must be a list');
  if (actionUrls !== undefined) {
    if (typeof actionUrls !== 'object' || actionUrls === null)
      throw new BadRequest('actionUrls must be an object');
    for (const [key, url] of Object.entries(actionUrls)) {
      if (!(ACTION_EVENTS as readonly string[]).includes(key)) throw new BadRequest(`unknown event ${key}`);
      if (typeof url !== 'string') throw new BadRequest(`actionUrls.${key} must be a string`);
    }
  }
  if (autoAnswerMs !== undefined && autoAnswerMs !== null && typeof autoAnswerMs !== 'number') {
    throw new BadRequest('autoAnswerMs must be a number or null');
  }
  if (firmwareProfile !== undefined && !isFirmwareProfile(firmwareProfile)) {
    throw new BadRequest(`firmwareProfile must be one of ${FIRMWARE_PROFILES.join(', ')}`);
  }
  if (
    sessionTtlMs !== undefined &&
    (typeof sessionTtlMs !== 'number' || !Number.isInteger(sessionTtlMs) || sessionTtlMs < 1)
  ) {
    throw new BadRequest('sessionTtlMs must be a whole number of ms >= 1');
  }
  if (body.flowStyle !== undefined && !(FLOW_STYLES as readonly unknown[]).includes(body.flowStyle)) {
    throw new BadRequest(`flowStyle must be one of ${FLOW_STYLES.join(', ')}`);
  }
  if (
    body.consultHangup !== undefined &&
    !(CONSULT_HANGUPS as readonly unknown[]).includes(body.consultHangup)
  ) {
    throw new BadRequest(`consultHangup must be one of ${CONSULT_HANGUPS.join(', ')}`);
  }
  return body as SettingsUpdate;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    return await readJson(req);
  } catch (error) {
    throw new BadRequest(`body: ${(error as Error).message}`);
  }
}

async function route(
  phone: SimPhone,
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /sim/state':
      return sendJson(res, 200, phone.snapshot());
    case 'GET /sim/log':
      return sendJson(res, 200, phone.requestLog());
    case 'DELETE /sim/log':
      phone.clearLog();
      return sendJson(res, 200, { ok: true });
    case 'DELETE /sim/faults':
      phone.clearFaults();
      return sendJson(res, 200, { ok: true });
  }
  const body = method === 'POST' || method === 'PATCH' ? await readBody(req) : {};
  switch (key) {
    case 'POST /sim/ring': {
      const number = optionalString(body, 'number');
      if (!number) throw new BadRequest('number is required');
      const account = body.account;
      if (account !== undefined && (typeof account !== 'number' || !Number.isInteger(account))) {
        throw new BadRequest('account must be a 0-based index');
      }
      return stepReply(res, phone.ring(number, optionalString(body, 'name'), account));
    }
    case 'POST /sim/answer':
      return stepReply(res, phone.farEndAnswer(optionalLine(body)));
    case 'POST /sim/hangup':
      return stepReply(res, phone.farEndHangup(optionalLine(body), { busy: body.busy === true }));
    case 'POST /sim/operate': {
      const cmd = optionalString(body, 'cmd') ?? '';
      if (!(PHONE_OPERATIONS as readonly string[]).includes(cmd)) throw new BadRequest('unknown cmd');
      return stepReply(res, phone.operate(cmd as PhoneOperation, optionalLine(body)));
    }
    case 'POST /sim/confirm': {
      const confirmed = phone.confirm(body.accept !== false);
      return sendJson(res, confirmed ? 200 : 409, {
        ok: confirmed,
        reason: confirmed ? undefined : 'nothing to confirm',
      });
    }
    case 'POST /sim/dnd': {
      if (typeof body.on !== 'boolean') throw new BadRequest('on must be a boolean');
      return stepReply(res, phone.setDnd(body.on));
    }
    case 'POST /sim/forward': {
      const { mode } = body;
      if (!isForwardMode(mode)) throw new BadRequest('mode must be off, always, busy or noanswer');
      const number = optionalString(body, 'number') ?? '';
      if (mode !== 'off' && !isValidPhoneNumber(number))
        throw new BadRequest('number must be a phone number');
      return stepReply(res, phone.setForward({ mode, number: mode === 'off' ? '' : number }));
    }
    case 'POST /sim/faults': {
      let fault: FaultSpec;
      try {
        fault = parseFault(body);
      } catch (error) {
        throw new BadRequest((error as Error).message);
      }
      // `down` drops every connection, this one included: answer first.
      if (fault.kind === 'down') res.once('finish', () => phone.injectFault(fault));
      else phone.injectFault(fault);
      return sendJson(res, 200, { ok: true, faults: phone.snapshot().faults });
    }
    case 'PATCH /sim/settings':
      phone.updateSettings(parseSettingsUpdate(body));
      return sendJson(res, 200, phone.snapshot());
    default:
      return sendJson(res, 404, { error: `no route ${key}` });
  }
}

export async function handleControl(
  phone: SimPhone,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  try {
    await route(phone, req.method ?? 'GET', path, req, res);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A body that is not JSON is the caller's mistake too.
    const status = error instanceof BadRequest || error instanceof SyntaxError ? 400 : 500;
    if (!res.headersSent) sendJson(res, status, { error: message });
  }
}
